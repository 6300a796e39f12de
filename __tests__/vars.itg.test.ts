import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseVars } from '../src/ansible/yaml11.js';
import { unsafeVarsFile } from '../src/ansible/vars.js';
import { onRunner } from './runner.js';

// extra-vars must mean what the same YAML means to `ansible-playbook -e @file`: each case is
// given to Ansible both ways, as the user's file and as the vars file that the action writes,
// and Ansible's own view of the value (its type and JSON) must be the same.
const CASES: Record<string, string> = {
  bool_no: 'no',
  bool_Yes: 'Yes',
  bool_off: 'OFF',
  bool_true: 'true',
  plain_y: 'y',
  plain_n: 'n',
  quoted_no: '"no"',
  octal: '0644',
  hex: '0x1F',
  binary: '0b101',
  underscores: '1_000',
  sexagesimal: '190:20:30',
  sexagesimal_float: '20:30.15',
  float: '1.5',
  float_exponent: '1.0e+3',
  exponent_without_dot: '1e3',
  infinity: '.inf',
  null_tilde: '~',
  null_word: 'Null',
  empty: '',
  jinja: '\'{{ lookup("pipe", "id") }}\'',
  list: '[1, no, "x"]',
  merged: '{<<: {a: 1, b: 2}, b: 3}',
};

const scratch = mkdtempSync(path.join(os.tmpdir(), 'itg-vars-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ANSIBLE_CLASSES: Record<string, string> = {
  AnsibleUnsafeText: 'str',
  AnsibleUnicode: 'str',
  AnsibleSequence: 'list',
  AnsibleMapping: 'dict',
};

/** Ansible's view of every case's value, given this vars file. */
function ansibleSees(varsFile: string): Record<string, string> {
  const playbook = path.join(scratch, 'show.yml');
  const names = JSON.stringify(Object.keys(CASES));
  writeFileSync(
    playbook,
    [
      '- hosts: localhost',
      '  gather_facts: false',
      '  tasks:',
      '    - ansible.builtin.debug:',
      `        msg: '{{ ${names} | map("extract", vars) | map("type_debug") | zip(${names} | map("extract", vars) | map("to_json")) | list }}'`,
      '',
    ].join('\n'),
  );
  // The Ansible that the action runs with: this machine's, or the runner container's.
  const [command, ...args] = onRunner(
    ['ansible-playbook', '-i', 'localhost,', '-c', 'local', '-e', `@${varsFile}`, playbook],
    ['ANSIBLE_STDOUT_CALLBACK'],
  );
  const output = execFileSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json' },
  });
  const json = JSON.parse(output.slice(output.indexOf('{')));
  const shown = json.plays[0].tasks[0].hosts.localhost.msg as Array<[string, string]>;
  return Object.fromEntries(
    Object.keys(CASES).map((name, i) => [
      name,
      // Ansible's own classes for what YAML and JSON give: the same values, other class names.
      `${ANSIBLE_CLASSES[shown[i][0]] ?? shown[i][0]} ${shown[i][1]}`,
    ]),
  );
}

it('gives Ansible the same values as ansible-playbook -e @file, YAML 1.1 and all', () => {
  const yaml = Object.entries(CASES)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
  const usersFile = path.join(scratch, 'users.yml');
  writeFileSync(usersFile, `${yaml}\n`);
  const oursFile = path.join(scratch, 'ours.yml');
  writeFileSync(oursFile, unsafeVarsFile(parseVars(yaml).toJS() as Record<string, unknown>));
  const expected = ansibleSees(usersFile);
  // The cases mean something: Ansible itself reads them as YAML 1.1.
  expect(expected.bool_no).toBe('bool false');
  expect(expected.octal).toBe('int 420');
  expect(expected.plain_y).toBe('str "y"');
  expect(expected.exponent_without_dot).toBe('str "1e3"');
  const ours = ansibleSees(oursFile);
  // The differences, which the README names. JavaScript has no float apart from int, so a
  // float with a whole value reaches Ansible as an int (1000, not 1000.0).
  expect([expected.float_exponent, ours.float_exponent]).toEqual(['float 1000.0', 'int 1000']);
  // And ours are data, never templates: ansible-core 2.19 renders `{{ }}` in a value of
  // `-e @file` wherever it is used (2.14 did not here, in `extract`); the action never does.
  expect(ours.jinja).toBe('str "{{ lookup(\\"pipe\\", \\"id\\") }}"');
  const same = { float_exponent: '', jinja: '' };
  expect({ ...ours, ...same }).toEqual({ ...expected, ...same });
});
