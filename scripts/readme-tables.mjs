// The README's input and output tables, made from action.yml so that they say what it says.
// usage: node scripts/readme-tables.mjs [--write]   (prints the tables, or rewrites README.md)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'prettier';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');

const cell = (text) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `## Inputs` and `## Outputs` tables, formatted as Prettier formats the README. */
export async function readmeTables() {
  const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8'));
  const inputs = Object.entries(action.inputs).map(([name, input]) => {
    const fallback = input.required ? '(required)' : input.default ? `\`${input.default}\`` : '';
    return `| \`${name}\` | ${fallback} | ${cell(input.description)} |`;
  });
  const outputs = Object.entries(action.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  );
  const markdown = [
    '| input | default | meaning |',
    '| --- | --- | --- |',
    ...inputs,
    '',
    '| output | meaning |',
    '| --- | --- |',
    ...outputs,
    '',
  ].join('\n');
  const [inputTable, outputTable] = (await format(markdown, { parser: 'markdown' }))
    .trim()
    .split('\n\n');
  return { inputTable, outputTable };
}

/** README.md with its two tables replaced. */
export async function readmeWithTables(readme) {
  const { inputTable, outputTable } = await readmeTables();
  const replaceTable = (text, heading, table) =>
    text.replace(new RegExp(`(${heading}\\n\\n)(\\|.*\\n)+`), `$1${table}\n`);
  return replaceTable(replaceTable(readme, '## Inputs', inputTable), '## Outputs', outputTable);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = path.join(root, 'README.md');
  const updated = await readmeWithTables(readFileSync(file, 'utf8'));
  if (process.argv.includes('--write')) writeFileSync(file, updated);
  else console.log((await readmeTables()).inputTable);
}
