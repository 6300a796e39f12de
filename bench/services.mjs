// Services during the build, side by side in one run on one engine: the action's service
// tasks and handlers against the same steps in a shell, in a container whose PID 1 reaps
// (`docker run --init`), which is what a VM's systemd costs at least. Writes bench/SERVICES.md.
// Not part of the tests. Run: node bench/services.mjs (after bash scripts/setup.sh)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { docker, log, out, root, runAction } from './harness.mjs';

const BASE = process.env.BENCH_BASE_IMAGE || 'debian:bookworm-slim';
const fixtures = '__tests__/fixtures/services';
mkdirSync(out, { recursive: true });
const images = [];
process.on('exit', () => {
  for (const image of images) docker('image', 'rm', '-f', image);
});

// The web role's steps by hand: install, configure, start, then restart as its handler does.
// Milliseconds from date, around each service command only.
const SHELL_STEPS = `
set -e
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
printf 'server { listen 8081; root /var/www/html; }\\n' > /etc/nginx/sites-enabled/default
for action in start restart reload stop start restart; do
  before=$(date +%s%N); service nginx "$action" >/dev/null; after=$(date +%s%N)
  echo "$action $(( (after - before) / 1000000 ))"
done
`;

log(`the same steps in a shell, docker run --init on ${BASE}`);
const shell = {};
for (const line of docker(
  'run',
  '--rm',
  '--init',
  '--network',
  'host',
  BASE,
  'sh',
  '-c',
  SHELL_STEPS,
)
  .trim()
  .split('\n')) {
  const [action, ms] = line.split(' ');
  // The second of each: the first start of a fresh install warms the disk cache.
  shell[action] = Number(ms) / 1000;
}

// The runner's tool cache then holds this base image's Python, as it does on a runner after
// its first build on the base: the builds below measure services, not the unpack.
log('warming up');
images.push(
  runAction({ playbook: '__tests__/fixtures/python-outside/site.yml', 'base-image': BASE }).outputs[
    'image-id'
  ],
);

log('the action: the web role (nginx, templated site, restart handler)');
const web = runAction({ playbook: `${fixtures}/web.yml`, 'base-image': BASE });
images.push(web.outputs['image-id']);

log('the action: every service role (nginx, redis, caddy, a template unit, a TERM ignorer)');
const site = runAction({ playbook: `${fixtures}/site.yml`, 'base-image': BASE });
images.push(site.outputs['image-id']);

const serviceTask = (task) => /\b(start|restart|stop|reload)/i.test(task.name);
const taskRows = (run) =>
  run.metadata.tasks
    .filter(serviceTask)
    .map((task) => `| ${task.name} | ${task.status} | ${task.duration.toFixed(2)} s |`);
const handler = web.metadata.tasks.find((task) => task.name === 'web : restart nginx');
const slowest = site.metadata.tasks.filter(serviceTask).sort((a, b) => b.duration - a.duration)[0];

const md = `# Services during the build: one run of \`node bench/services.mjs\`

Base image \`${BASE}\`, on one engine, one after the other. The shell runs the web role's steps
by hand in \`docker run --init\` (a PID 1 that reaps, as on a VM); the action builds the
fixtures in \`${fixtures}\` with \`network: host\`.

| measure | action | shell | ratio |
| --- | --- | --- | --- |
| \`restart nginx\` (the handler; the shell's \`service nginx restart\`) | ${handler.duration.toFixed(2)} s | ${shell.restart.toFixed(2)} s | ${(handler.duration / shell.restart).toFixed(2)}× |
| web role build, whole action (main + post) | ${web.wall.toFixed(2)} s | | |
| every service role, whole action | ${site.wall.toFixed(2)} s | | |

Shell, per command: ${Object.entries(shell)
  .map(([action, s]) => `\`service nginx ${action}\` ${s.toFixed(2)} s`)
  .join(', ')}.

Slowest service task of all the roles: **${slowest.name}**, ${slowest.duration.toFixed(2)} s.

Service tasks and handlers of the web role:

| task | status | time |
| --- | --- | --- |
${taskRows(web).join('\n')}

Service tasks and handlers of every role (the stubborn daemon, which ignores SIGTERM, is killed
after 5 s before the commit: most of the cleanup phase):

| task | status | time |
| --- | --- | --- |
${taskRows(site).join('\n')}

Phases of the whole build: ${Object.entries(site.metadata.phases)
  .map(([name, s]) => `${name} ${s} s`)
  .join(', ')}.
`;
writeFileSync(path.join(root, 'bench', 'SERVICES.md'), md);
process.stdout.write(md);
