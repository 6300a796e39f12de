import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseChange } from '../../src/changes.js';
import {
  type RunConfig,
  readServicesReport,
  runConfigChanges,
} from '../../src/services/services.js';

const CADDY: RunConfig = {
  service: 'caddy.service',
  source: '/lib/systemd/system/caddy.service',
  cmd: ['/usr/bin/caddy', 'run', '--environ', '--config', '/etc/caddy/Caddyfile'],
  user: 'caddy:caddy',
  workdir: '/var/lib/caddy',
  env: { GREETING: 'hello "you" $HOME', PORT: '8082' },
  supervisor: false,
};

describe('runConfigChanges', () => {
  it.each<[string, string[], string[]]>([
    [
      'everything from the service',
      [],
      [
        'ENTRYPOINT [""]',
        'CMD ["/usr/bin/caddy","run","--environ","--config","/etc/caddy/Caddyfile"]',
        'USER caddy:caddy',
        'WORKDIR /var/lib/caddy',
        'ENV GREETING="hello \\"you\\" \\$HOME"',
        'ENV PORT="8082"',
      ],
    ],
    [
      'the user’s CMD, USER, WORKDIR and one ENV win',
      ['CMD ["caddy", "version"]', 'USER root', 'WORKDIR /', 'ENV PORT=9000 OTHER=1'],
      ['ENV GREETING="hello \\"you\\" \\$HOME"'],
    ],
    [
      'the user’s ENTRYPOINT stays and receives the command',
      ['ENTRYPOINT ["/entry"]', 'ENV GREETING hi there'],
      [
        'CMD ["/usr/bin/caddy","run","--environ","--config","/etc/caddy/Caddyfile"]',
        'USER caddy:caddy',
        'WORKDIR /var/lib/caddy',
        'ENV PORT="8082"',
      ],
    ],
  ])('%s', (_case, userChanges, expected) => {
    const { changes, skipped } = runConfigChanges(CADDY, userChanges.map(parseChange));
    expect(changes).toEqual(expected);
    expect(skipped).toEqual([]);
  });

  it('leaves out variables that a Dockerfile line cannot carry', () => {
    const { changes, skipped } = runConfigChanges(
      { ...CADDY, env: { 'BAD NAME': '1', MULTI: 'a\nb', GOOD: 'x' } },
      [],
    );
    expect(skipped).toEqual(['BAD NAME', 'MULTI']);
    expect(changes).toContain('ENV GOOD="x"');
  });

  it.each([
    [{ user: 'caddy\nCMD ["evil"]' }, /User "caddy\nCMD \["evil"\]" is not a user name/],
    [{ workdir: 'relative' }, /WorkingDirectory "relative" is not an absolute path/],
    [{ workdir: '/srv\nUSER root' }, /is not an absolute path/],
  ])('refuses a run config that would smuggle an instruction: %j', (override, error) => {
    expect(() => runConfigChanges({ ...CADDY, ...override }, [])).toThrow(error);
  });
});

describe('readServicesReport', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'services-test-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const report = (value: unknown) =>
    writeFileSync(path.join(folder, 'services.json'), JSON.stringify(value));

  it('is empty when the container reported nothing', async () => {
    expect(await readServicesReport(folder)).toEqual({ services: [], killed: [], leftovers: [] });
  });

  it('reads services, killed units, leftovers and the run config', async () => {
    report({
      services: [{ name: 'nginx.service', state: 'active', enabled: 'enabled' }],
      killed: ['stubborn.service'],
      runConfig: { ...CADDY, user: null, extra: 'ignored' },
    });
    writeFileSync(path.join(folder, 'leftovers'), 'sleep 1000\n\nyes\n');
    const read = await readServicesReport(folder);
    expect(read.services).toEqual([{ name: 'nginx.service', state: 'active', enabled: 'enabled' }]);
    expect(read.killed).toEqual(['stubborn.service']);
    expect(read.leftovers).toEqual(['sleep 1000', 'yes']);
    expect(read.runConfig).toEqual({ ...CADDY, user: undefined });
    expect(read.runConfig).not.toHaveProperty('user');
  });

  it('never follows a link that the container put in place of the report', async () => {
    const secret = path.join(folder, 'runner-secret');
    writeFileSync(secret, '{"services": []}');
    symlinkSync(secret, path.join(folder, 'services.json'));
    await expect(readServicesReport(folder)).rejects.toThrow(/is not a regular file/);
  });

  it('refuses a report larger than its bound', async () => {
    writeFileSync(path.join(folder, 'services.json'), ' '.repeat((1 << 20) + 1));
    await expect(readServicesReport(folder)).rejects.toThrow(/larger than 1048576 bytes/);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['a list', '[]', /report's the report is not an object/],
    [
      'a service without a name',
      '{"services":[{"state":"active","enabled":""}]}',
      /a service name is not a string/,
    ],
    [
      'an empty cmd',
      `{"services":[],"runConfig":${JSON.stringify({ ...CADDY, cmd: [] })}}`,
      /empty cmd/,
    ],
    [
      'env with a number',
      `{"services":[],"runConfig":${JSON.stringify({ ...CADDY, env: { A: 1 } })}}`,
      /env A is not a string/,
    ],
  ])('refuses %s', async (_case, text, error) => {
    writeFileSync(path.join(folder, 'services.json'), text);
    await expect(readServicesReport(folder)).rejects.toThrow(error);
  });
});
