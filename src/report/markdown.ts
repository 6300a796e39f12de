/**
 * Markdown for the job summary that text from the playbook, the image or a registry cannot
 * take over: no Markdown, HTML or autolink in it takes effect, whatever it holds.
 */

/** A code span on one line. The fence is longer than any run of backticks inside. */
export function code(text: string): string {
  const fence = '`'.repeat(longestBacktickRun(text) + 1);
  // CommonMark ends a line at \n, \r\n and a lone \r: any of them would end a table row.
  return `${fence} ${text.replace(/\r\n?|\n/g, ' ')} ${fence}`;
}

/** A fenced block that nothing inside can close. */
export function block(text: string, info = ''): string[] {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return [`${fence}${info}`, text, fence];
}

const longestBacktickRun = (text: string) =>
  Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));

export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    // A `|` in a cell ends it unless escaped, even inside a code span, where GitHub unescapes it.
    ...rows.map((row) => `| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`),
    '',
  ].join('\n');
}
