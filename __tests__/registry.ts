import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TokenService } from './token-service.js';

/**
 * A real registry (Debian's docker-registry, distribution 2.8) on the loopback: open, with
 * htpasswd (`user`, `password`), or with `auth: token` behind the tests' own token service.
 */
export class Registry {
  private process?: ChildProcess;
  private readonly directory = mkdtempSync(path.join(os.tmpdir(), 'itg-registry-'));

  constructor(
    readonly port: number,
    private readonly options: {
      user?: string;
      password?: string;
      readonly?: boolean;
      tokens?: TokenService;
    } = {},
  ) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const auth = this.options.user
      ? (() => {
          const htpasswd = path.join(this.directory, 'htpasswd');
          writeFileSync(
            htpasswd,
            execFileSync('htpasswd', [
              '-Bbn',
              this.options.user as string,
              this.options.password as string,
            ]),
          );
          return `auth:\n  htpasswd:\n    realm: itg\n    path: ${htpasswd}\n`;
        })()
      : this.options.tokens
        ? [
            'auth:',
            '  token:',
            `    realm: ${this.options.tokens.realm}`,
            `    service: ${this.options.tokens.service}`,
            `    issuer: ${this.options.tokens.issuer}`,
            `    rootcertbundle: ${this.options.tokens.rootCertBundle}`,
            '',
          ].join('\n')
        : '';
    const readonly = this.options.readonly
      ? '  maintenance:\n    readonly:\n      enabled: true\n'
      : '';
    const config = path.join(this.directory, 'config.yml');
    writeFileSync(
      config,
      `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${this.directory}/data\n${readonly}http:\n  addr: ${this.host}\n${auth}`,
    );
    this.process = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`http://${this.host}/v2/`);
        if (response.status === 200 || response.status === 401) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the registry on ${this.host} did not start`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.on('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private authorization(repository: string): Record<string, string> {
    const { user, password, tokens } = this.options;
    if (tokens)
      return {
        Authorization: `Bearer ${tokens.mint('itg-admin', [{ type: 'repository', name: repository, actions: ['pull'] }])}`,
      };
    return user
      ? { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }
      : {};
  }

  /** Docker-Content-Digest of a tag, straight from the registry API. */
  async digest(repository: string, tag: string): Promise<string | null> {
    const response = await fetch(`http://${this.host}/v2/${repository}/manifests/${tag}`, {
      method: 'HEAD',
      headers: {
        Accept:
          'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
        ...this.authorization(repository),
      },
    });
    return response.ok ? response.headers.get('docker-content-digest') : null;
  }

  async tags(repository: string): Promise<string[]> {
    const response = await fetch(`http://${this.host}/v2/${repository}/tags/list`, {
      headers: this.authorization(repository),
    });
    if (response.status === 404) return [];
    return ((await response.json()) as { tags: string[] | null }).tags ?? [];
  }
}
