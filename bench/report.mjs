// Turns bench/out/results.json into bench/RESULTS.md and bench/scaling.svg.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const r = JSON.parse(readFileSync(path.join(root, 'bench', 'out', 'results.json'), 'utf8'));
const f = (x, digits = 2) => (x === undefined ? 'n/a' : x.toFixed(digits));
const perTask = (set, kind, seconds = (run) => run.wall) =>
  (seconds(set[`${kind}-30`]) - seconds(set[`${kind}-0`])) / 30;
const BASE_NAME = r.base;
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

const rows = ['command', 'copy'].map((kind) => {
  // The playbook stage: the stages around it do not grow with the tasks.
  const action = perTask(r.action, kind, (run) => run.phases.playbook);
  const dockerfile = perTask(r.dockerfile, kind);
  const plain = perTask(r.plain, kind);
  return { kind, action, dockerfile, plain };
});
const ssh = r.sshProxy['command-30'];

const run30 = r.action['command-30'];
const phases = run30.phases;
const playbookSeconds = phases.playbook ?? 0;
const overhead = run30.wall - playbookSeconds;
const python = r.withPython['command-30'];
const overheadWithPython = python.wall - (python.phases.playbook ?? 0);
const bootstrap = (phases.containerSetup ?? 0) + (phases.containerCleanup ?? 0);

const { action, naive, tuned, actionWithPython, tunedWithPython, actionFirstBuild } = r.redis;
const firstSetup = actionFirstBuild.phases.containerSetup ?? 0;
const command = rows[0];
const targets = [
  [
    'per `command` task, action / Dockerfile RUN',
    '≤ 0.80 x',
    command.action / command.dockerfile,
    0.8,
  ],
  [
    'per `command` task, action / plain ansible-playbook',
    '≤ 1.20 x',
    command.action / command.plain,
    1.2,
  ],
  ['action overhead with cached tools, base with Python', '≤ 2.00 s', overheadWithPython, 2],
  [
    'action overhead with cached tools, base without Python (its Python cached too)',
    '≤ 2.00 s',
    overhead,
    2,
  ],
  ['Redis bytes added, action / hand-tuned', '≤ 1.01 x', action.bytes / tuned.bytes, 1.01],
  ['Redis bytes added, action / naive', '≤ 0.60 x', action.bytes / naive.bytes, 0.6],
  [
    'Redis wall time, action / hand-tuned (base without Python, its Python cached)',
    '≤ 2.00 x',
    action.wall / tuned.wall,
    2,
  ],
  [
    'Redis wall time, action / hand-tuned (base without Python, first build on the runner)',
    '≤ 2.00 x',
    actionFirstBuild.wall / tuned.wall,
    2,
  ],
  [
    'Redis wall time, action / hand-tuned (base with Python)',
    '≤ 2.00 x',
    actionWithPython.wall / tunedWithPython.wall,
    2,
  ],
].map(
  ([name, target, value, limit]) =>
    `| ${name} | ${target} | ${f(value)} | ${value <= limit ? 'met' : 'not met'} |`,
);
const layersRow = `| Redis layers added by the action | exactly 1 | ${action.layers} | ${action.layers === 1 ? 'met' : 'not met'} |`;

// ---- chart ----------------------------------------------------------------------------------
const sizes = [10, 30, 100];
const series = [
  {
    name: 'action',
    color: '#d62728',
    points: sizes.map((n) => [n, r.action[`command-${n}`].wall]),
  },
  {
    name: 'docker build',
    color: '#1f77b4',
    points: sizes.map((n) => [n, r.dockerfile[`command-${n}`].wall]),
  },
];
const W = 560;
const H = 320;
const M = { left: 56, right: 20, top: 30, bottom: 44 };
const maxY = Math.max(...series.flatMap((s) => s.points.map(([, y]) => y))) * 1.1;
const x = (n) => M.left + ((W - M.left - M.right) * n) / 100;
const y = (s) => H - M.bottom - ((H - M.top - M.bottom) * s) / maxY;
const ticks = Array.from({ length: 6 }, (_, i) => (maxY * i) / 5);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">Wall time by number of command tasks / RUN lines</text>
<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="black"/>
<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>
${ticks.map((t) => `<text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end">${t.toFixed(0)} s</text><line x1="${M.left}" y1="${y(t)}" x2="${W - M.right}" y2="${y(t)}" stroke="#ddd"/>`).join('\n')}
${sizes.map((n) => `<text x="${x(n)}" y="${H - M.bottom + 16}" text-anchor="middle">${n}</text>`).join('\n')}
<text x="${W / 2}" y="${H - 8}" text-anchor="middle">tasks (action) or RUN lines (Dockerfile)</text>
${series
  .map(
    (
      s,
      i,
    ) => `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points.map(([n, t]) => `${x(n)},${y(t)}`).join(' ')}"/>
${s.points.map(([n, t]) => `<circle cx="${x(n)}" cy="${y(t)}" r="3" fill="${s.color}"/>`).join('')}
<rect x="${M.left + 12}" y="${M.top + 8 + i * 18}" width="12" height="3" fill="${s.color}"/><text x="${M.left + 30}" y="${M.top + 13 + i * 18}">${s.name}</text>`,
  )
  .join('\n')}
</svg>
`;
writeFileSync(path.join(root, 'bench', 'scaling.svg'), svg);

const md = `# Benchmark results

Machine: ${r.machine}; Docker ${'engine from Debian (20.10)'}, Packer and Ansible from Debian 12,
base image \`${BASE_NAME}\` made with debootstrap (no Python); the base with Python is that image
plus \`python3\` and \`python3-apt\`, made by the benchmark. Reproduce with
\`bash bench/run.sh\` (it runs everything side by side in one run, then rewrites this file).
Numbers are from one run (the overhead on the base with Python: the median of three); compare
the ratios, not the seconds.

## Targets (issue #6)
| measure | target | measured | |
| --- | --- | --- | --- |
${targets.join('\n')}
${layersRow}

## 1. Per-task cost
Slope between 0 and 30 tasks (or RUN/COPY lines), in seconds per task: of the wall time for
docker build and plain ansible-playbook, of the playbook stage for the action (its other stages
do not grow with the tasks).

| tasks | action | docker build | plain ansible-playbook | action / Dockerfile | action / plain Ansible |
| --- | --- | --- | --- | --- | --- |
${rows.map((row) => `| ${row.kind} | ${f(row.action, 3)} | ${f(row.dockerfile, 3)} | ${f(row.plain, 3)} | ${f(row.action / row.dockerfile)} x | ${f(row.action / row.plain)} x |`).join('\n')}

Packer with its default SSH proxy adapter: ${ssh.failed ? `does not work here (${ssh.failed})` : `${f((ssh.wall - r.sshProxy['command-0'].wall) / 30, 3)} s per task`}.

## 2. Action overhead (30 command tasks, tools cached)
The action's whole wall time minus the playbook stage (the \`ansible-playbook\` run inside it).
The whole wall time is that of its main and post steps, each from starting node to its exit, as
the runner runs them (the benchmark's own harness is not counted). On the base with Python, the
median of three runs (overheads ${r.withPython.overheads.map((o) => `${f(o)} s`).join(', ')}).

| base image | whole wall time | playbook stage | overhead |
| --- | --- | --- | --- |
| \`${BASE_NAME}\` with Python (\`python3\`, \`python3-apt\`) | ${f(python.wall)} s | ${f(python.phases.playbook)} s | ${f(overheadWithPython)} s |
| \`${BASE_NAME}\` (no Python) | ${f(run30.wall)} s | ${f(playbookSeconds)} s | ${f(overhead)} s |

Without Python, Ansible gets the release's \`python3\` from the runner's cache, outside the image
(containerSetup and containerCleanup: ${f(bootstrap)} s). The first build on a base unpacks it
there: ${f(firstSetup)} s of containerSetup in the Redis section's first build.

| phase | base with Python | base without Python |
| --- | --- | --- |
${Object.keys(phases)
  .map((name) => `| ${name} | ${f(python.phases[name])} | ${f(phases[name])} |`)
  .join('\n')}

## 3. Image size: the Redis example
| build | bytes added over the base | layers added | wall time |
| --- | --- | --- | --- |
| action (its Python cached) | ${mb(action.bytes)} | ${action.layers} | ${f(action.wall)} s |
| action, first build on the runner (Python unpacked into the cache) | ${mb(actionFirstBuild.bytes)} | ${actionFirstBuild.layers} | ${f(actionFirstBuild.wall)} s |
| naive Dockerfile (one RUN per step) | ${mb(naive.bytes)} | ${naive.layers} | ${f(naive.wall)} s |
| hand-tuned Dockerfile (one RUN) | ${mb(tuned.bytes)} | ${tuned.layers} | ${f(tuned.wall)} s |
| action, base with Python | ${mb(actionWithPython.bytes)} | ${actionWithPython.layers} | ${f(actionWithPython.wall)} s |
| hand-tuned Dockerfile, base with Python | ${mb(tunedWithPython.bytes)} | ${tunedWithPython.layers} | ${f(tunedWithPython.wall)} s |

Action / hand-tuned bytes: ${f(action.bytes / tuned.bytes)} x; action / naive bytes:
${f(action.bytes / naive.bytes)} x; action / hand-tuned wall time: ${f(action.wall / tuned.wall)} x
(${f(actionFirstBuild.wall / tuned.wall)} x for the first build on the runner, and
${f(actionWithPython.wall / tunedWithPython.wall)} x on the base with Python).

## 4. Scaling
| command tasks | action | docker build |
| --- | --- | --- |
${[0, 10, 30, 100].map((n) => `| ${n} | ${f(r.action[`command-${n}`].wall)} s | ${f(r.dockerfile[`command-${n}`].wall)} s |`).join('\n')}

![scaling](scaling.svg)
`;
writeFileSync(path.join(root, 'bench', 'RESULTS.md'), md);
process.stdout.write(md);
