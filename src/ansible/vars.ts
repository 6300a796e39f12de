import { Document, isScalar, visit } from 'yaml';

/**
 * Extra vars as a YAML vars file in which every string is tagged `!unsafe`: Ansible then uses
 * them as data and never renders `{{ ... }}` inside them, so they arrive exactly as given.
 */
export function unsafeVarsFile(vars: Record<string, unknown>): string {
  const document = new Document(vars);
  visit(document, {
    Scalar(key, node) {
      if (key !== 'key' && isScalar(node) && typeof node.value === 'string') node.tag = '!unsafe';
    },
  });
  return document.toString({ lineWidth: 0 });
}
