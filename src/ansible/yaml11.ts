import { type Document, type ScalarTag, parseDocument } from 'yaml';

/**
 * Parses vars as `ansible-playbook -e @file` reads them: YAML 1.1 as PyYAML resolves it, so
 * `no` is false, `0644` is 420 and `1_000` is 1000, and `<<` merges. Where the yaml library's
 * 1.1 schema resolves more than PyYAML does, PyYAML's rules win: `y`/`n` stay strings, and so
 * does `1e3`, which has no dot. Timestamps stay strings too: Ansible would make dates of them,
 * which a vars file of strings cannot carry.
 */
export function parseVars(text: string): Document.Parsed {
  return parseDocument(text, {
    version: '1.1',
    customTags: (tags) =>
      (tags as ScalarTag[]).flatMap((tag) => {
        if (tag.tag === 'tag:yaml.org,2002:timestamp') return [];
        if (tag.tag === 'tag:yaml.org,2002:bool' && tag.test)
          return [{ ...tag, test: tag.test.source.includes('Y|y') ? PYYAML_TRUE : PYYAML_FALSE }];
        // PyYAML's floats have a dot, or are .inf / .nan.
        if (tag.tag === 'tag:yaml.org,2002:float' && tag.test && !tag.test.source.includes('\\.'))
          return [];
        if (
          tag.tag === 'tag:yaml.org,2002:float' &&
          tag.test?.source.startsWith('^[-+]?(?:[0-9][0-9_]*)?(?:\\.')
        )
          return [{ ...tag, test: PYYAML_FLOAT }];
        return [tag];
      }),
  });
}

const PYYAML_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PYYAML_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
/** An exponent needs a sign and a dot before it in PyYAML: `1.0e+3`, not `1e3`. */
const PYYAML_FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/;
