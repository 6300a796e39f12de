/**
 * Docker's image reference grammar (distribution/reference), checked by scanning instead of
 * the usual nested regular expressions: those backtrack exponentially on crafted input, and a
 * reference comes straight from a workflow file.
 */
export interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

const NAME_MAX = 255;
export const TAG_MAX = 128;

const isLowerAlnum = (c: string) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
const isAlnum = (c: string) => isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
const isWord = (c: string) => isAlnum(c) || c === '_';
const isHex = (c: string) =>
  (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** Throws with the rule that the reference breaks. */
export function parseImageReference(reference: string): ImageReference {
  if (reference === '') throw new Error('must not be empty');
  if (/\s/.test(reference)) throw new Error('must not contain white space');

  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    checkDigest(digest);
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    checkTag(tag);
  }

  checkName(rest);
  return { name: rest, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

function checkTag(tag: string): void {
  if (tag.length === 0 || tag.length > TAG_MAX)
    throw new Error(`tag must have 1 to ${TAG_MAX} characters`);
  if (!isWord(tag[0]) || ![...tag].every((c) => isWord(c) || c === '.' || c === '-'))
    throw new Error(
      `tag "${tag}" must start with a letter, digit or _ and contain only letters, digits, _ . -`,
    );
}

function checkDigest(digest: string): void {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const algorithmOk =
    colon > 0 && algorithm.split(/[-_+.]/).every((part) => /^[A-Za-z][A-Za-z0-9]*$/.test(part));
  if (!algorithmOk || hex.length < 32 || ![...hex].every(isHex))
    throw new Error('digest must be algorithm:hex with at least 32 hex digits');
  if (algorithm === 'sha256' && !/^[0-9a-f]{64}$/.test(hex))
    throw new Error('a sha256 digest must have exactly 64 lower-case hex digits');
}

function checkName(name: string): void {
  if (name.length === 0) throw new Error('repository name must not be empty');
  if (name.length > NAME_MAX)
    throw new Error(`repository name must not be longer than ${NAME_MAX} characters`);
  const components = name.split('/');
  const first = components[0];
  // Docker's rule: a first component with a dot, a port, upper case, or `localhost` is a host.
  const hasDomain =
    components.length > 1 &&
    (first.includes('.') ||
      first.includes(':') ||
      first === 'localhost' ||
      first !== first.toLowerCase());
  if (hasDomain) checkDomain(components.shift() as string);
  for (const component of components) checkPathComponent(component);
}

function checkDomain(domain: string): void {
  let host = domain;
  const portAt = domain.startsWith('[') ? domain.indexOf(']:') + 1 : domain.lastIndexOf(':');
  if (portAt > 0) {
    const port = domain.slice(portAt + 1);
    host = domain.slice(0, portAt);
    if (!/^[0-9]{1,5}$/.test(port)) throw new Error(`registry port "${port}" must be a number`);
  }
  if (host.startsWith('[')) {
    if (!host.endsWith(']') || !/^[0-9A-Fa-f:.]+$/.test(host.slice(1, -1)))
      throw new Error(`registry host "${host}" is not a valid IPv6 address`);
    return;
  }
  for (const label of host.split('.')) {
    const ok =
      label.length > 0 &&
      isAlnum(label[0]) &&
      isAlnum(label[label.length - 1]) &&
      [...label].every((c) => isAlnum(c) || c === '-');
    if (!ok)
      throw new Error(
        `registry host "${host}" must be dot-separated labels of letters, digits and inner hyphens`,
      );
  }
}

/** alpha-numeric (separator alpha-numeric)*, separator being `.`, `_`, `__` or a run of `-`. */
function checkPathComponent(component: string): void {
  const rule = `path component "${component}" must be lower-case letters and digits, separated by . _ __ or -`;
  if (component.length === 0)
    throw new Error('repository name must not have an empty path component');
  if ([...component].some((c) => c >= 'A' && c <= 'Z'))
    throw new Error(`repository name must be lower-case ("${component}")`);
  let i = 0;
  while (i < component.length) {
    if (!isLowerAlnum(component[i])) throw new Error(rule);
    while (i < component.length && isLowerAlnum(component[i])) i++;
    if (i === component.length) return;
    const start = i;
    if (component[i] === '-') while (component[i] === '-') i++;
    else if (component.startsWith('__', i)) i += 2;
    else if (component[i] === '.' || component[i] === '_') i++;
    if (i === start || i === component.length) throw new Error(rule);
  }
}
