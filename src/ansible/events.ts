import { redact } from '../redact.js';

/** What the callback plugin (assets/callback/ansible_image_events.py) writes, one per line. */
export interface TaskEvent {
  type: 'task';
  name: string;
  action: string;
  file: string;
  line: number | null;
  host: string;
  status: 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'ignored';
  duration: number | null;
  message: string;
  warnings?: string[];
  deprecations?: string[];
}

export interface Recap {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  rescued: number;
  ignored: number;
}

export interface PlaybookEvents {
  tasks: TaskEvent[];
  recap?: Recap;
}

/** Reads the events file; a line cut short by a killed Ansible is skipped. */
export function parseEvents(text: string): PlaybookEvents {
  const events: PlaybookEvents = { tasks: [] };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let event: ({ type?: string } & Record<string, unknown>) | null;
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    if (event === null || typeof event !== 'object') continue;
    if (event.type === 'task') events.tasks.push(event as unknown as TaskEvent);
    else if (event.type === 'stats') {
      const { type: _type, ...recap } = event;
      events.recap = recap as unknown as Recap;
    }
  }
  return events;
}

export const isFailure = (task: TaskEvent): boolean =>
  task.status === 'failed' || task.status === 'unreachable';

export function firstFailure(events: PlaybookEvents): TaskEvent | undefined {
  return events.tasks.find(isFailure);
}

/** Every text of a task result that a variable's value may have reached, with secrets redacted. */
export function redactTask(task: TaskEvent, secrets: readonly string[]): TaskEvent {
  const clean = (text: string) => redact(text, secrets);
  return {
    ...task,
    name: clean(task.name),
    message: clean(task.message),
    warnings: task.warnings?.map(clean),
    deprecations: task.deprecations?.map(clean),
  };
}
