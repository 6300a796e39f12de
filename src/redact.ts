/** Replaces every secret with ***, longest first so that no part of one survives. */
export function redact(text: string, secrets: readonly string[]): string {
  return [...secrets]
    .sort((a, b) => b.length - a.length)
    .reduce((redacted, secret) => redacted.replaceAll(secret, '***'), text);
}

/**
 * Every form of a secret that logs could show: as it is, in base64, as Ansible and Packer
 * print it inside JSON strings (quotes and backslashes escaped, non-ASCII as \\u escapes or
 * not), and each of its lines alone.
 */
export function secretForms(value: string): string[] {
  const json = (text: string) => JSON.stringify(text).slice(1, -1);
  const ascii = (text: string) =>
    json(text).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  const lines = value.split(/\r?\n/).filter((line) => line.trim().length >= 3);
  const forms = [value, Buffer.from(value).toString('base64'), json(value), ascii(value)];
  for (const line of lines) forms.push(line, json(line), ascii(line));
  return [...new Set(forms)].filter((form) => form.length >= 3 || form === value);
}
