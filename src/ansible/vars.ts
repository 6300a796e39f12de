/**
 * Extra vars as a JSON vars file in which every string is `{"__ansible_unsafe": "…"}`, the form
 * that Ansible's JSON decoder reads as unsafe text (2.14 and 2.19 alike): Ansible then uses
 * them as data and never renders `{{ ... }}` inside them, so they arrive exactly as given.
 * Not YAML's `!unsafe`: ansible-core 2.19 resolves a tagged scalar again as a plain one, so
 * `!unsafe "no"` became false there.
 */
export function unsafeVarsFile(vars: Record<string, unknown>): string {
  return `${unsafeJson(vars)}\n`;
}

function unsafeJson(value: unknown): string {
  if (typeof value === 'string') return `{"__ansible_unsafe":${JSON.stringify(value)}}`;
  // Python's JSON decoder reads these words, which JSON.stringify would turn into null.
  if (typeof value === 'number' && !Number.isFinite(value))
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (Array.isArray(value)) return `[${value.map(unsafeJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${unsafeJson(item)}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}
