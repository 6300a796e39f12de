import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerExists, docker, imageWith, inspect, removeImages } from './docker.js';
import { type ActionRun, repoRoot, runAction } from './runner.js';

interface ImageConfig {
  Entrypoint: string[] | null;
  Cmd: string[] | null;
  Env: string[] | null;
  User: string;
  WorkingDir: string;
  Labels: Record<string, string> | null;
  ExposedPorts?: Record<string, unknown>;
}

// Values that Packer (HCL and Go templates), Docker (Dockerfile parsing) or Ansible (Jinja)
// would interpolate if any of them got the chance.
const TRICKY = {
  dollar: 'a ${x} $HOME $$ \\$ end',
  percent: 'b %{x} %%{y}',
  jinja: "{{ lookup('pipe', 'id') }} {% raw %}",
  go: '{{.Image}} {{ "x" }}',
  quotes: `single ' double " back \\ slash \\\\`,
  spaces: '  leading and trailing  ',
  unicode: 'grüße 你好 🚀',
};

const hostNetwork = { network: 'host' };
const images: string[] = [];

function built(run: ActionRun): string {
  if (run.exitCode !== 0) throw new Error(`the action failed:\n${run.log}`);
  images.push(run.outputs['image-id']);
  return run.outputs['image-id'];
}

function expectNothingLeft(run: ActionRun): void {
  expect(run.post.exitCode).toBe(0);
  if (run.state.containerName) expect(containerExists(run.state.containerName)).toBe(false);
  if (run.state.runDirectory) expect(existsSync(run.state.runDirectory)).toBe(false);
  expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('ansible-image-'))).toEqual([]);
}

afterAll(() => removeImages(...images));

describe.each(['debian:bookworm-slim', 'debian:trixie-slim'])('a build on %s', (baseImage) => {
  const tag = `itg/values:${baseImage.replace(/\W/g, '-')}`;
  let run: ActionRun;
  let id: string;

  beforeAll(async () => {
    run = await runAction({
      ...hostNetwork,
      playbook: '__tests__/fixtures/values/site.yml',
      'base-image': baseImage,
      tags: tag,
      'extra-vars': JSON.stringify({ values: TRICKY }),
      labels: Object.entries(TRICKY)
        .map(([k, v]) => `org.example.${k}=${v}`)
        .join('\n'),
      changes: 'ENV ITG_ENV=from-changes\nEXPOSE 8080\nLABEL org.example.change="set by changes"',
    });
    id = built(run);
    images.push(tag);
  });

  it('sets outputs that match docker image inspect', () => {
    const image = inspect<{ Id: string; Size: number; RootFS: { Layers: string[] } }>(tag);
    expect(run.outputs['image-id']).toBe(image.Id);
    expect(Number(run.outputs.size)).toBe(image.Size);
    expect(Number(run.outputs.layers)).toBe(image.RootFS.Layers.length);
    expect(run.outputs.tags).toBe(tag);
    expect(run.outputs.digest).toBe('');
    expect(run.outputs['packer-version']).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.outputs['ansible-version']).toMatch(/^\d+\.\d+\.\d+/);
    const added = JSON.parse(
      docker('history', '--format', '{{json .}}', '--no-trunc', '--human=false', tag).split(
        '\n',
      )[0],
    );
    expect(Number(run.outputs['layer-size'])).toBe(Number(added.Size));
  });

  it('reports metadata with the recap and the phases', () => {
    const metadata = JSON.parse(run.outputs.metadata);
    expect(metadata).toMatchObject({
      imageId: id,
      baseImage: { name: baseImage, id: inspect<string>(baseImage, '{{json .Id}}') },
      recap: { ok: 2, changed: 2, failed: 0, skipped: 0 },
    });
    expect(Object.keys(metadata.phases)).toEqual(
      expect.arrayContaining([
        'inputs',
        'tools',
        'baseImage',
        'config',
        'packer',
        'containerStart',
        'containerSetup',
        'playbook',
        'containerCleanup',
        'commit',
        'tag',
        'inspect',
      ]),
    );
  });

  it('adds exactly one layer to the base image', () => {
    const layers = (reference: string) => inspect<string[]>(reference, '{{json .RootFS.Layers}}');
    expect(layers(tag).length).toBe(layers(baseImage).length + 1);
    expect(layers(tag).slice(0, -1)).toEqual(layers(baseImage));
  });

  it('keeps the base run config and applies changes', () => {
    const config = inspect<ImageConfig>(tag, '{{json .Config}}');
    expect(config.Cmd).toEqual(['bash']);
    expect(config.Env).toContain('ITG_ENV=from-changes');
    expect(config.ExposedPorts).toHaveProperty('8080/tcp');
    expect(docker('run', '--rm', tag, 'ls', '/')).toContain('etc');
  });

  it('passes labels and extra vars through byte for byte', () => {
    const config = inspect<ImageConfig>(tag, '{{json .Config}}');
    for (const [key, value] of Object.entries(TRICKY)) {
      expect(config.Labels?.[`org.example.${key}`]).toBe(value);
      expect(docker('run', '--rm', tag, 'cat', `/etc/itg/${key}`)).toBe(value);
    }
    expect(config.Labels?.['org.example.change']).toBe('set by changes');
  });

  it('removes Python and leaves none of its own residue', () => {
    const check = docker(
      'run',
      '--rm',
      tag,
      'sh',
      '-c',
      'command -v python3 || echo no-python; ls -A /var/lib/apt/lists /root; ls -d /tmp/.ansible* 2>/dev/null || true',
    );
    expect(check).toContain('no-python');
    expect(check).not.toMatch(/\.ansible|partial|_dists_/);
  });

  it('leaves no container or temporary file behind', () => expectNothingLeft(run));

  it('cleans up in the main step, so the post step has nothing to look for', () => {
    expect(run.state.cleanedUp).toBe('true');
    expect(run.post.log).toBe('');
  });
});

describe('a base image with its own run config', () => {
  const base = 'itg/base-with-config:1';
  const tag = 'itg/on-configured-base:1';

  beforeAll(() => {
    const container = docker('create', 'debian:bookworm-slim').trim();
    docker(
      'commit',
      '--change',
      'ENTRYPOINT ["/bin/echo", "entry"]',
      '--change',
      'CMD ["default-cmd"]',
      '--change',
      'ENV APP_HOME=/srv/app',
      '--change',
      'WORKDIR /srv',
      '--change',
      'USER nobody',
      container,
      base,
    );
    docker('rm', container);
    images.push(base, tag);
  });

  it('keeps ENTRYPOINT, CMD, USER, WORKDIR and ENV', async () => {
    const run = await runAction({
      playbook: '__tests__/fixtures/values/site.yml',
      ...hostNetwork,
      'base-image': base,
      tags: tag,
      'extra-vars': 'values: {}',
    });
    built(run);
    const config = inspect<ImageConfig>(tag, '{{json .Config}}');
    const baseConfig = inspect<ImageConfig>(base, '{{json .Config}}');
    for (const key of ['Entrypoint', 'Cmd', 'User', 'WorkingDir', 'Env'] as const)
      expect(config[key]).toEqual(baseConfig[key]);
    expect(docker('run', '--rm', tag).trim()).toBe('entry default-cmd');
    expectNothingLeft(run);
  });

  it('lets changes set CMD while keeping the base ENTRYPOINT', async () => {
    const run = await runAction({
      playbook: '__tests__/fixtures/values/site.yml',
      ...hostNetwork,
      'base-image': base,
      'extra-vars': 'values: {}',
      changes: 'CMD ["from", "changes"]',
    });
    const id = built(run);
    expect(docker('run', '--rm', id).trim()).toBe('entry from changes');
  });

  it('clears the inherited CMD when changes set only ENTRYPOINT, as a Dockerfile does', async () => {
    const run = await runAction({
      playbook: '__tests__/fixtures/values/site.yml',
      ...hostNetwork,
      'base-image': base,
      'extra-vars': 'values: {}',
      changes: 'ENTRYPOINT ["/bin/echo", "own"]',
    });
    const id = built(run);
    expect(inspect<string[] | null>(id, '{{json .Config.Cmd}}') ?? []).toEqual([]);
    expect(docker('run', '--rm', id).trim()).toBe('own');
  });
});

describe('python', () => {
  it('is kept outside the image on an apt base: unpacked once into the runner’s cache, owned by the cache’s owner, then reused', async () => {
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-python-cache-'));
    const cache = path.join(toolCache, 'ansible-image', 'python');
    // Named after the base image, whose packages decide what completes it, and the files that
    // make it: the script, the launcher and sitecustomize.py.
    const makers = createHash('sha256');
    for (const file of [
      'container.sh',
      'outside-python/launcher.sh',
      'outside-python/sitecustomize.py',
    ])
      makers.update(readFileSync(path.join(repoRoot, 'dist', 'assets', file)));
    const key = `${inspect<string>('debian:bookworm-slim', '{{json .Id}}').slice(7, 23)}-${makers.digest('hex').slice(0, 8)}`;
    try {
      // As a runner's user would have made it, not root: what the container unpacks there must
      // not belong to root either.
      execFileSync('mkdir', ['-p', path.join(cache, key)]);
      execFileSync('chown', ['-R', '65534:65534', toolCache]);
      const build = () =>
        runAction(
          { ...hostNetwork, playbook: '__tests__/fixtures/python-outside/site.yml' },
          { env: { RUNNER_TOOL_CACHE: toolCache } },
        );
      const first = await build();
      const id = built(first);
      expect(first.log).toContain(
        "Unpacking the base image's python3 into the runner's cache for Ansible",
      );
      // With its digests (of content, and of metadata) next to it, out of the containers' reach.
      expect(readdirSync(cache).sort()).toEqual([key, `${key}.sha256`, `${key}.stamp`]);
      expect(readdirSync(path.join(cache, key)).sort()).toEqual(['python3', 'root']);
      expect(
        execFileSync('find', [path.join(cache, key), '!', '-uid', '65534'], { encoding: 'utf8' }),
      ).toBe('');
      const inImage = (file: string) => docker('run', '--rm', id, 'cat', file).trim();
      expect(inImage('/itg-library-path')).toBe('unset 0');
      expect(inImage('/itg-library-path-set')).toBe('/opt/from-the-playbook');
      expect(inImage('/itg-user')).toBe('itg');
      expect(inImage('/itg-module-python')).toMatch(
        /^\/packer-files\/python\/root\/usr\/bin\/python3\.\d+$/,
      );
      expect(
        docker(
          'run',
          '--rm',
          id,
          'sh',
          '-c',
          'command -v python3 || echo no-python; ls -A /packer-files',
        ).trim(),
      ).toBe('no-python');
      expectNothingLeft(first);

      const second = await build();
      built(second);
      expect(second.log).toContain(
        "Python is missing: Ansible uses the release's python3 from the runner's cache, outside the image",
      );
      expect(second.log).not.toContain('Unpacking');
      expect(readdirSync(cache).sort()).toEqual([key, `${key}.sha256`, `${key}.stamp`]);
      expectNothingLeft(second);
    } finally {
      rmSync(toolCache, { recursive: true, force: true });
    }
  });

  it('stays when the playbook installed something that needs it', async () => {
    const run = await runAction({
      ...hostNetwork,
      playbook: '__tests__/fixtures/python-needed/site.yml',
    });
    const id = built(run);
    expect(docker('run', '--rm', id, 'python3', '-c', 'import yaml; print("yaml ok")')).toContain(
      'yaml ok',
    );
    // Its modules saw that library, and a Python to start again that outlives the build.
    expect(docker('run', '--rm', id, 'cat', '/itg-executable').trim()).toMatch(
      /^\/usr\/bin\/python3\.\d+$/,
    );
    expect(docker('run', '--rm', id, 'sh', '-c', 'ls -A /var/lib/apt/lists | wc -l').trim()).toBe(
      '0',
    );
  });

  it('is installed into the image when the user chose the interpreter, and removed again', async () => {
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-python-cache-'));
    try {
      const run = await runAction(
        {
          ...hostNetwork,
          playbook: '__tests__/fixtures/values/site.yml',
          'extra-vars': 'values: {}',
        },
        { env: { ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3', RUNNER_TOOL_CACHE: toolCache } },
      );
      const id = built(run);
      expect(run.log).toContain('Python is missing: installing it for Ansible (python: auto)');
      expect(existsSync(path.join(toolCache, 'ansible-image', 'python'))).toBe(false);
      expect(
        docker('run', '--rm', id, 'sh', '-c', 'command -v python3 || echo no-python').trim(),
      ).toBe('no-python');
    } finally {
      rmSync(toolCache, { recursive: true, force: true });
    }
  });

  it('stays with python: keep', async () => {
    const run = await runAction({
      ...hostNetwork,
      playbook: '__tests__/fixtures/values/site.yml',
      'extra-vars': 'values: {}',
      python: 'keep',
    });
    const id = built(run);
    expect(docker('run', '--rm', id, 'python3', '--version')).toMatch(/^Python 3/);
  });

  it('is not installed with python: never, so Ansible cannot run', async () => {
    const run = await runAction({
      playbook: '__tests__/fixtures/values/site.yml',
      'extra-vars': 'values: {}',
      python: 'never',
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toMatch(/^::error title=.*::Task "Create the output folder" failed/m);
    expectNothingLeft(run);
  });
});

describe('package lists and caches', () => {
  const withLists = 'itg/python-and-lists:1';
  const withoutLists = 'itg/python-no-lists:1';
  const withUpgradable = 'itg/python-upgradable-package:1';
  const leftovers =
    'find /var/lib/apt/lists -type f ! -name lock | wc -l; find /var/cache/apt -type f ! -name lock | wc -l; command -v python3';

  beforeAll(() => {
    const container = `itg-base-${process.pid}`;
    docker(
      'run',
      '--name',
      container,
      '--network',
      'host',
      'debian:bookworm-slim',
      'sh',
      '-c',
      'apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 >/dev/null && apt-get clean',
    );
    docker('commit', container, withLists);
    docker('rm', container);
    docker('run', '--name', container, withLists, 'sh', '-c', 'rm -rf /var/lib/apt/lists/*');
    docker('commit', container, withoutLists);
    docker('rm', container);
    // itg-b 1 installed as a dependency would be (automatically), and itg-b 2 to upgrade to.
    const deb = (version: string, depends: string) =>
      `d=/tmp/itg-b-${version}; mkdir -p $d/DEBIAN; printf 'Package: itg-b\\nVersion: ${version}\\n` +
      `Architecture: all\\nMaintainer: itg <itg@example.org>\\nDescription: test\\n${depends}' >$d/DEBIAN/control; ` +
      `dpkg-deb --build $d /opt/itg/itg-b_${version}_all.deb >/dev/null; rm -rf $d`;
    docker(
      'run',
      '--name',
      container,
      withoutLists,
      'sh',
      '-ec',
      `mkdir -p /opt/itg; ${deb('1', '')}; ${deb('2', 'Depends: python3-apt\\n')}; ` +
        'dpkg -i /opt/itg/itg-b_1_all.deb >/dev/null; apt-mark auto itg-b >/dev/null',
    );
    docker('commit', container, withUpgradable);
    docker('rm', container);
    images.push(withLists, withoutLists, withUpgradable);
  });

  it('are removed when the base image had none, even if Python was there, and so is python3-apt', async () => {
    const run = await runAction({
      ...hostNetwork,
      playbook: '__tests__/fixtures/apt/site.yml',
      'base-image': withoutLists,
      // The lists go again at the end, so no translations are fetched for them.
      'extra-vars': 'apt_languages_none: true',
    });
    const id = built(run);
    expect(docker('run', '--rm', id, 'hello')).toContain('Hello, world!');
    expect(docker('run', '--rm', id, 'sh', '-c', leftovers).trim().split('\n')).toEqual([
      '0',
      '0',
      '/usr/bin/python3',
    ]);
    // Ansible's apt module installed it for itself; the playbook did not ask for it.
    expect(docker('run', '--rm', id, 'sh', '-c', 'dpkg-query -W python3-apt || true')).toBe('');
    // The playbook's own orphans are the playbook's business.
    expect(docker('run', '--rm', id, 'dpkg-query', '-W', '-f', '${Status}', 'libjq1')).toBe(
      'install ok installed',
    );
    expectNothingLeft(run);
  });

  it('python3-apt stays when purging it would take a package of the base image', async () => {
    const toolCache = mkdtempSync(path.join(os.tmpdir(), 'itg-python-cache-'));
    const run = await runAction(
      {
        ...hostNetwork,
        playbook: '__tests__/fixtures/apt-guard/site.yml',
        'base-image': withUpgradable,
      },
      { env: { RUNNER_TOOL_CACHE: toolCache } },
    );
    const id = built(run);
    // The base had Python: the folder for one outside the image went again, unused.
    expect(readdirSync(path.join(toolCache, 'ansible-image', 'python'))).toEqual([]);
    rmSync(toolCache, { recursive: true, force: true });
    expect(run.log).toContain('Python stays: removing it would take packages of the base image');
    const status = (name: string) =>
      docker('run', '--rm', id, 'dpkg-query', '-W', '-f', '${Version} ${Status}', name);
    expect(status('itg-b')).toBe('2 install ok installed');
    expect(status('python3-apt')).toMatch(/ install ok installed$/);
  });

  it('lists stay when the base image shipped them; downloaded packages go', async () => {
    const run = await runAction({
      ...hostNetwork,
      playbook: '__tests__/fixtures/apt/site.yml',
      'base-image': withLists,
      // Lists that stay are fetched as the image's own apt settings say.
      'extra-vars': 'apt_languages_none: false',
    });
    const id = built(run);
    const counts = (image: string) =>
      docker('run', '--rm', image, 'sh', '-c', leftovers).split('\n').slice(0, 2).map(Number);
    const [baseLists] = counts(withLists);
    expect(baseLists).toBeGreaterThan(0);
    expect(counts(id)).toEqual([baseLists, 0]);
  });
});

describe('a failing playbook', () => {
  let run: ActionRun;
  beforeAll(async () => {
    run = await runAction({ ...hostNetwork, playbook: '__tests__/fixtures/failing/site.yml' });
  });

  it('fails the step with the task, where it is, and why', () => {
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain(
      '::error title=Task failed%3A Fail on purpose,file=__tests__/fixtures/failing/site.yml,line=9::' +
        'Task "Fail on purpose" failed (__tests__/fixtures/failing/site.yml:9): non-zero return code: broken',
    );
  });

  it('sets no image outputs', () => {
    expect(run.outputs['image-id']).toBeUndefined();
    expect(run.outputs.metadata).toBeUndefined();
  });

  it('leaves no container behind', () => expectNothingLeft(run));
});

describe('bad input', () => {
  it('fails before anything runs, and the post step succeeds', async () => {
    const run = await runAction({
      playbook: '__tests__/fixtures/values/site.yml',
      tags: 'Bad/Tag',
    });
    expect(run.exitCode).toBe(1);
    expect(run.log).toContain('::error::Input "tags": "Bad/Tag" is not a valid image reference');
    expect(run.log).not.toContain('packer build');
    expect(run.state.containerName).toBeUndefined();
    expectNothingLeft(run);
  });
});

it('runs two builds at once on one engine', async () => {
  const inputs = (n: number) => ({
    ...hostNetwork,
    playbook: '__tests__/fixtures/values/site.yml',
    'extra-vars': `values: { build: "${n}" }`,
    tags: `itg/concurrent:${n}`,
  });
  images.push('itg/concurrent:1', 'itg/concurrent:2');
  const runs = await Promise.all([runAction(inputs(1)), runAction(inputs(2))]);
  const ids = runs.map(built);
  expect(runs[0].state.containerName).not.toBe(runs[1].state.containerName);
  expect(ids[0]).not.toBe(ids[1]);
  for (const n of [1, 2])
    expect(docker('run', '--rm', `itg/concurrent:${n}`, 'cat', '/etc/itg/build')).toBe(String(n));
  runs.forEach(expectNothingLeft);
});

describe('how Ansible reaches the container', () => {
  let bin: string;
  let log: string;

  // A docker CLI that logs its arguments and runs the real one: Ansible finds it first on PATH.
  beforeAll(() => {
    bin = mkdtempSync(path.join(os.tmpdir(), 'itg-docker-log-'));
    log = path.join(bin, 'calls.log');
    // It is first on PATH; the real one is the next docker there, on whichever runner.
    writeFileSync(
      path.join(bin, 'docker'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nPATH="\${PATH#*:}" exec docker "$@"\n`,
    );
    chmodSync(path.join(bin, 'docker'), 0o755);
  });

  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  async function logged(inputs: Record<string, string>, env: Record<string, string> = {}) {
    writeFileSync(log, '');
    const run = await runAction(inputs, { env: { PATH: `${bin}:${process.env.PATH}`, ...env } });
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const taskExecs = calls.filter((c) =>
      c.startsWith(`exec -i -u 0 ${run.state.containerName as string} `),
    );
    return { run, calls, taskExecs };
  }

  const FALLBACK = 'The executor is not running in the container: tasks go through docker exec';

  it('through the executor when the image has Python 3: no docker exec for any task', async () => {
    const { run, taskExecs } = await logged({
      ...hostNetwork,
      playbook: '__tests__/fixtures/values/site.yml',
      'extra-vars': 'values: { a: "1", b: "2", c: "3" }',
    });
    const id = built(run);
    expect(taskExecs).toEqual([]);
    expect(run.log).not.toContain(FALLBACK);
    // Its folder was a mount inside Packer's: nothing of it is in the image.
    expect(docker('run', '--rm', id, 'ls', '-A', '/packer-files').trim()).toBe('');
    expectNothingLeft(run);
  });

  it('through docker exec without Python, never asking the engine for its version', async () => {
    const { run, calls, taskExecs } = await logged({
      playbook: '__tests__/fixtures/raw/site.yml',
      'extra-vars': JSON.stringify({ raw_command: 'echo raw > /raw; ! command -v python3' }),
      python: 'never',
    });
    const id = built(run);
    expect(run.log).toContain(FALLBACK);
    expect(taskExecs.length).toBeGreaterThanOrEqual(1);
    expect(calls.filter((c) => c.startsWith('version'))).toEqual([]);
    expect(docker('run', '--rm', id, 'cat', '/raw').trim()).toBe('raw');
    expectNothingLeft(run);
  });

  it('through docker exec with no collection installed: copy, template, fetch, become', async () => {
    // Python, sudo and su in the image, but a python3 first on PATH that fails, so the
    // executor cannot start; Ansible is pointed at the working one.
    const base = 'itg/python-sudo:bookworm';
    imageWith(base, 'debian:bookworm-slim', ['python3', 'sudo']);
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'itg-docker-exec-'));
    const context = path.join(scratch, 'context');
    const tag = 'itg/broken-python-sudo:1';
    const collections = path.join(scratch, 'collections');
    mkdirSync(context);
    mkdirSync(collections);
    writeFileSync(path.join(context, 'python3'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    writeFileSync(
      path.join(context, 'Dockerfile'),
      `FROM ${base}\nCOPY python3 /usr/local/bin/python3\n`,
    );
    docker('build', '-q', '-t', tag, context);
    images.push(tag);
    const upload = path.join(scratch, 'upload.bin');
    const data = randomBytes(300_000);
    writeFileSync(upload, data);
    // Debian's ansible ships community.docker among its own collections: hidden here.
    const env = {
      ANSIBLE_COLLECTIONS_PATH: collections,
      ANSIBLE_COLLECTIONS_SCAN_SYS_PATH: 'false',
      ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    };
    expect(
      spawnSync('ansible-doc', ['-t', 'connection', 'community.docker.docker'], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      }).stderr,
    ).toMatch(/community\.docker\.docker.* was not found/);
    try {
      const { run, taskExecs } = await logged(
        {
          playbook: '__tests__/fixtures/docker-exec/site.yml',
          'base-image': tag,
          'extra-vars': JSON.stringify({ upload, fetch_to: scratch }),
        },
        env,
      );
      const id = built(run);
      expect(run.log).toContain(FALLBACK);
      expect(taskExecs.length).toBeGreaterThanOrEqual(7);
      const inImage = (file: string) => docker('run', '--rm', id, 'cat', file);
      expect(inImage(`/opt/it's a "file".txt`)).toBe('copied\n');
      expect(docker('run', '--rm', id, 'sha256sum', '/opt/upload.bin').split(' ')[0]).toBe(
        createHash('sha256').update(data).digest('hex'),
      );
      expect(inImage('/opt/greeting')).toBe('Hello, BUILDER!\n');
      expect(inImage('/opt/whoami')).toBe('builder builder\n');
      expect(readFileSync(path.join(scratch, 'greeting'), 'utf8')).toBe('Hello, BUILDER!\n');
      expectNothingLeft(run);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('through docker exec when the executor cannot start, saying so', async () => {
    // An image whose python3 fails: Python counts as present, but nothing runs on it.
    const context = mkdtempSync(path.join(os.tmpdir(), 'itg-broken-python-'));
    const tag = 'itg/broken-python:1';
    try {
      writeFileSync(path.join(context, 'python3'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      writeFileSync(
        path.join(context, 'Dockerfile'),
        'FROM debian:bookworm-slim\nCOPY python3 /usr/local/bin/python3\n',
      );
      docker('build', '-q', '-t', tag, context);
      images.push(tag);
      const { run, taskExecs } = await logged({
        playbook: '__tests__/fixtures/raw/site.yml',
        'base-image': tag,
        'extra-vars': JSON.stringify({ raw_command: 'echo raw > /raw' }),
      });
      const id = built(run);
      expect(run.log).toContain('The executor did not start on /usr/local/bin/python3');
      expect(run.log).toContain(FALLBACK);
      expect(taskExecs.length).toBeGreaterThanOrEqual(1);
      expect(docker('run', '--rm', id, 'cat', '/raw').trim()).toBe('raw');
      expectNothingLeft(run);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  });
});
