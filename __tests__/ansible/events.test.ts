import { describe, expect, it } from 'vitest';
import {
  firstFailure,
  parseEvents,
  type Recap,
  redactTask,
  type TaskEvent,
} from '../../src/ansible/events.js';

function task(name: string, status: TaskEvent['status'], message = ''): TaskEvent {
  return {
    type: 'task',
    name,
    action: 'ansible.builtin.command',
    file: '/ws/site.yml',
    line: 12,
    host: 'default',
    status,
    duration: 0.25,
    message,
  };
}

const RECAP: Recap = {
  ok: 3,
  changed: 1,
  failed: 1,
  skipped: 0,
  unreachable: 0,
  rescued: 0,
  ignored: 1,
};

const lines = (...events: object[]) => events.map((event) => JSON.stringify(event)).join('\n');

describe('parseEvents', () => {
  it('reads task lines and the stats line', () => {
    const tasks = [
      task('Gathering Facts', 'ok'),
      task('install nginx', 'changed'),
      { ...task('optional', 'ignored', 'exit 1'), line: null, duration: null },
      task('only on arm', 'skipped'),
      task('configure', 'failed', 'non-zero return code: boom'),
    ];
    const text = lines(...tasks, { type: 'stats', ...RECAP }) + '\n';
    expect(parseEvents(text)).toEqual({ tasks, recap: RECAP });
  });

  it('keeps warnings and deprecations', () => {
    const event = { ...task('t', 'ok'), warnings: ['w'], deprecations: ['d'] };
    expect(parseEvents(lines(event)).tasks).toEqual([event]);
  });

  it('skips a last line cut short by a killed Ansible', () => {
    const complete = [task('one', 'ok'), task('two', 'changed')];
    const cut = JSON.stringify(task('three', 'failed')).slice(0, 40);
    expect(parseEvents(lines(...complete) + '\n' + cut)).toEqual({ tasks: complete });
  });

  it.each([
    ['empty text', ''],
    ['blank lines', '\n  \n\n'],
    ['unknown event types', lines({ type: 'play', name: 'p' }, { name: 'no type' })],
    ['garbage', 'not json\n{'],
  ])('reads no events from %s', (_case, text) => {
    expect(parseEvents(text)).toEqual({ tasks: [] });
  });

  it('tolerates blank lines and CRLF between events', () => {
    const tasks = [task('a', 'ok'), task('b', 'ok')];
    const text = `\n${JSON.stringify(tasks[0])}\r\n\n${JSON.stringify(tasks[1])}\n\n`;
    expect(parseEvents(text)).toEqual({ tasks });
  });

  it('takes the last stats line', () => {
    const text = lines({ type: 'stats', ...RECAP, ok: 1 }, { type: 'stats', ...RECAP });
    expect(parseEvents(text).recap).toEqual(RECAP);
  });
});

describe('firstFailure', () => {
  it.each<[string, TaskEvent[], string | undefined]>([
    ['no tasks', [], undefined],
    [
      'no failure; ignored and skipped do not count',
      [task('a', 'ok'), task('b', 'ignored'), task('c', 'skipped'), task('d', 'changed')],
      undefined,
    ],
    ['a failed task', [task('a', 'ok'), task('b', 'failed'), task('c', 'failed')], 'b'],
    ['an unreachable host', [task('a', 'ignored'), task('b', 'unreachable')], 'b'],
    ['the first of unreachable and failed', [task('a', 'unreachable'), task('b', 'failed')], 'a'],
  ])('%s', (_case, tasks, name) => {
    expect(firstFailure({ tasks })?.name).toBe(name);
  });

  it('returns the event itself', () => {
    const failed = task('configure', 'failed', 'boom');
    expect(firstFailure({ tasks: [task('a', 'ok'), failed] })).toBe(failed);
  });
});

describe('redactTask', () => {
  it('redacts every text a value may reach and leaves the rest', () => {
    const event = {
      ...task('deploy s3cr3t', 'failed', 'login with s3cr3t refused'),
      warnings: ['token s3cr3t is old'],
      deprecations: ['s3cr3t: use a vault'],
    };
    expect(redactTask(event, ['s3cr3t'])).toEqual({
      ...event,
      name: 'deploy ***',
      message: 'login with *** refused',
      warnings: ['token *** is old'],
      deprecations: ['***: use a vault'],
    });
  });
});
