/**
 * The Dockerfile instructions that `docker commit --change` applies to the committed image,
 * and the ones we add so that the image keeps the base image's run configuration.
 */
export const COMMIT_INSTRUCTIONS = [
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'LABEL',
  'ONBUILD',
  'USER',
  'VOLUME',
  'WORKDIR',
] as const;
export type CommitInstruction = (typeof COMMIT_INSTRUCTIONS)[number];

export interface Change {
  instruction: CommitInstruction;
  value: string;
}

/** What the committed image must inherit from the base image. */
export interface BaseRunConfig {
  entrypoint: string[] | null;
  cmd: string[] | null;
}

/** The base image's ENTRYPOINT and CMD, as its config gives them (a string is one word). */
export function baseRunConfig(
  config: {
    Entrypoint?: string | string[] | null;
    Cmd?: string | string[] | null;
  } = {},
): BaseRunConfig {
  const list = (value: string | string[] | null | undefined) =>
    typeof value === 'string' ? [value] : (value ?? null);
  return { entrypoint: list(config.Entrypoint), cmd: list(config.Cmd) };
}

const EXEC_FORM = new Set<CommitInstruction>(['CMD', 'ENTRYPOINT', 'VOLUME']);

/** Parses one `changes` line; throws with the rule it breaks. */
export function parseChange(line: string): Change {
  const match = /^\s*(\S+)(?:\s+(.*?))?\s*$/.exec(line);
  if (!match) throw new Error('must not be empty');
  const instruction = match[1].toUpperCase();
  const value = match[2] ?? '';
  if (!(COMMIT_INSTRUCTIONS as readonly string[]).includes(instruction))
    throw new Error(
      `"${match[1]}" is not an instruction that docker commit accepts (${COMMIT_INSTRUCTIONS.join(', ')})`,
    );
  if (value === '') throw new Error(`${instruction} needs a value`);
  if (value.endsWith('\\'))
    throw new Error(
      `${instruction}: line continuations are not supported, one instruction per line`,
    );
  const change = { instruction: instruction as CommitInstruction, value };
  if (EXEC_FORM.has(change.instruction) && value.startsWith('[')) parseJsonArray(change);
  return change;
}

function parseJsonArray(change: Change): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(change.value);
  } catch (error) {
    throw new Error(`${change.instruction}: the JSON array form does not parse`, { cause: error });
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string'))
    throw new Error(`${change.instruction}: the JSON array form must hold only strings`);
  return parsed;
}

/**
 * Quotes a word for Docker's Dockerfile parser, which expands `$VAR` in LABEL and ENV values:
 * inside double quotes only \, " and $ are special, so escaping those keeps the value exact.
 */
export function dockerQuote(value: string): string {
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/**
 * Packer's build container runs with `--entrypoint=/bin/sh`, which `docker commit` would keep
 * and which drops the base image's CMD. Restore both unless the user sets them; like in a
 * Dockerfile, a new ENTRYPOINT without a CMD clears the inherited CMD. Both are always stated:
 * Packer's docker plugin (1.0.9 and later, so every Packer from 1.10) appends the base image's
 * CMD or ENTRYPOINT at commit when no change line starts with that word, which would bring
 * back a CMD that the user's ENTRYPOINT cleared.
 */
export function commitChanges(
  base: BaseRunConfig,
  changes: Change[],
  labels: ReadonlyArray<readonly [string, string]>,
): string[] {
  const sets = (instruction: CommitInstruction) =>
    changes.some((c) => c.instruction === instruction);
  const restored: string[] = [];
  // `ENTRYPOINT []` is ignored by docker commit; [""] is how to say "none". `CMD []` is.
  if (!sets('ENTRYPOINT'))
    restored.push(`ENTRYPOINT ${JSON.stringify(base.entrypoint?.length ? base.entrypoint : [''])}`);
  if (!sets('CMD'))
    restored.push(`CMD ${JSON.stringify(!sets('ENTRYPOINT') && base.cmd?.length ? base.cmd : [])}`);
  return [
    ...restored,
    ...labels.map(([key, value]) => `LABEL ${dockerQuote(key)}=${dockerQuote(value)}`),
    ...changes.map((c) => `${c.instruction} ${c.value}`),
  ];
}
