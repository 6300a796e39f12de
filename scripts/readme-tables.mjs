// The README's input and output tables, made from action.yml so that they say what it says.
// usage: node scripts/readme-tables.mjs --write | --check
// The tables stand between `<!-- inputs from action.yml -->` and `<!-- end of inputs -->` (and
// the same for outputs); --check fails when they say something else, as scripts/test.sh does.
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

/** README.md with the tables between its markers replaced; throws when a marker is missing. */
export async function readmeWithTables(readme) {
  const tables = await readmeTables();
  let text = readme;
  for (const [part, table] of [
    ['inputs', tables.inputTable],
    ['outputs', tables.outputTable],
  ]) {
    const start = `<!-- ${part} from action.yml -->\n`;
    const end = `<!-- end of ${part} -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end, from);
    if (from < 0 || to < 0)
      throw new Error(`README.md has no "${start.trim()}" … "${end}" markers`);
    text = `${text.slice(0, from + start.length)}\n${table}\n\n${text.slice(to)}`;
  }
  return text;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = path.join(root, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const updated = await readmeWithTables(readme);
  if (process.argv.includes('--write')) writeFileSync(file, updated);
  else if (updated !== readme) {
    console.error(
      'README.md: the input or output table differs from action.yml: run node scripts/readme-tables.mjs --write',
    );
    process.exit(1);
  }
}
