import { describe, expect, it } from 'vitest';
import { unsafeVarsFile } from '../../src/ansible/vars.js';

const UNSAFE = '__ansible_unsafe';

/** Reads the file as Ansible's JSON decoder does; every string must come marked unsafe. */
function readBack(text: string): unknown {
  const strings: string[] = [];
  const value = JSON.parse(text, (_key, item: unknown) => {
    if (typeof item === 'string') strings.push(item);
    if (item && typeof item === 'object' && !Array.isArray(item) && UNSAFE in item) {
      const keys = Object.keys(item);
      expect(keys).toEqual([UNSAFE]);
      const unsafe = (item as Record<string, unknown>)[UNSAFE];
      expect(typeof unsafe).toBe('string');
      strings.splice(strings.lastIndexOf(unsafe as string), 1);
      return { unsafe };
    }
    return item;
  });
  expect(strings).toEqual([]); // no string left unmarked
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) =>
    item && typeof item === 'object' && 'unsafe' in item && Object.keys(item).length === 1
      ? (item as { unsafe: string }).unsafe
      : item,
  );
}

const STRINGS: Record<string, string> = {
  jinja: "{{ lookup('pipe', 'id') }}",
  block: '{% if true %}x{% endif %}',
  comment: '{# c #}',
  dollar: '${x} $HOME $$',
  quotes: `single ' double " both '"`,
  backslashes: 'a\\b \\\\ \\n \\"',
  newlines: 'line 1\nline 2\n',
  trailingNewlines: 'x\n\n\n',
  leadingSpace: '  indented',
  trailingSpace: 'trailing  ',
  unicode: 'grüße 你好 🚀',
  empty: '',
  looksLikeNumber: '123',
  looksLikeBool: 'true',
  looksLikeNull: 'null',
  yamlSyntax: '- a: b # c',
  tab: 'a\tb',
};

describe('unsafeVarsFile', () => {
  it('gives back the same strings', () => {
    expect(readBack(unsafeVarsFile(STRINGS))).toEqual(STRINGS);
  });

  it.each(Object.entries(STRINGS))('gives back the %s string %j', (key, value) => {
    expect(readBack(unsafeVarsFile({ [key]: value }))).toEqual({ [key]: value });
  });

  const MIXED = {
    port: 8080,
    ratio: 0.5,
    enabled: true,
    disabled: false,
    nothing: null,
    nested: { inner: { deep: '{{ deep }}', count: 2 } },
    list: [1, true, null, [2, 3], { k: '{{ k }}' }],
    strings: 'x',
  };

  it('keeps numbers, booleans, null and nesting', () => {
    expect(readBack(unsafeVarsFile(MIXED))).toEqual(MIXED);
  });

  it('leaves keys plain and marks strings at every depth, list items too', () => {
    const text = unsafeVarsFile({ '{{ key }}': ['{{ a }}', ['{{ b }}'], { k: '{{ c }}' }] });
    expect(JSON.parse(text)).toEqual({
      '{{ key }}': [
        { [UNSAFE]: '{{ a }}' },
        [{ [UNSAFE]: '{{ b }}' }],
        { k: { [UNSAFE]: '{{ c }}' } },
      ],
    });
  });

  it('writes the floats that JSON has no word for as Python reads them', () => {
    expect(unsafeVarsFile({ a: Infinity, b: -Infinity, c: NaN, d: 1.5 })).toBe(
      '{"a":Infinity,"b":-Infinity,"c":NaN,"d":1.5}\n',
    );
  });

  it('writes long strings on one line', () => {
    const long = 'word '.repeat(100).trim();
    const text = unsafeVarsFile({ long });
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(readBack(text)).toEqual({ long });
  });
});
