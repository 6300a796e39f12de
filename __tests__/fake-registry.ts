import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
}

/** What a test makes the registry answer instead of what it holds. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/**
 * An in-memory registry API on the loopback (manifests, blobs, mounts), for the answers a real
 * registry cannot easily be made to give: `override` replaces any answer, and every request is
 * logged. With an upstream (`host:port` of a real registry) it is that registry's front, which
 * answers everything that `override` leaves to it.
 */
export class FakeRegistry {
  constructor(private readonly upstream?: string) {}

  readonly seen: Seen[] = [];
  override?: (request: Seen) => Answer | undefined;
  /** Answer mounts with 202 and an upload session, as a registry without mounts does. */
  refuseMounts = false;
  private readonly manifests = new Map<string, { bytes: Buffer; mediaType: string }>();
  private readonly blobs = new Map<string, Map<string, Buffer>>();
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen: Seen = {
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
      };
      this.seen.push(seen);
      const body = Buffer.concat(chunks);
      const overridden = this.override?.(seen);
      const answer = overridden
        ? Promise.resolve(overridden)
        : this.upstream
          ? forward(this.upstream, request, body)
          : Promise.resolve(this.handle(seen, body));
      void answer.then(
        ({ status, headers, body }) => response.writeHead(status, headers).end(body),
        () => response.writeHead(502).end(),
      );
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets what a test did: requests, overrides, stored images. */
  reset(): void {
    this.seen.length = 0;
    this.override = undefined;
    this.refuseMounts = false;
    this.manifests.clear();
    this.blobs.clear();
  }

  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stores a one-layer image with these labels under repository:tag; returns its manifest digest. */
  addImage(
    repository: string,
    tag: string,
    labels: Record<string, string> | null,
    mediaType = DOCKER_MANIFEST,
  ): string {
    const layer = Buffer.from(`layer of ${repository}:${tag}`);
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: labels } }),
    );
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType,
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          digest: digestOf(config),
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
            digest: digestOf(layer),
            size: layer.length,
          },
        ],
      }),
    );
    for (const blob of [layer, config]) this.blobsOf(repository).set(digestOf(blob), blob);
    this.manifests.set(`${repository}:${tag}`, { bytes: manifest, mediaType });
    return digestOf(manifest);
  }

  manifest(repository: string, tag: string): Buffer | undefined {
    return this.manifests.get(`${repository}:${tag}`)?.bytes;
  }

  private blobsOf(repository: string): Map<string, Buffer> {
    const blobs = this.blobs.get(repository) ?? new Map<string, Buffer>();
    this.blobs.set(repository, blobs);
    return blobs;
  }

  private handle(request: Seen, body: Buffer): Answer {
    const url = new URL(request.url, 'http://registry');
    const unknown = (code: string) => ({
      status: 404,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ errors: [{ code, message: 'unknown' }] }),
    });
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/(.*)$/.exec(url.pathname);
    if (!match) return unknown('NOT_FOUND');
    const [, repository, kind, rest] = match;
    if (kind === 'manifests' && request.method === 'GET') {
      const stored =
        this.manifests.get(`${repository}:${rest}`) ??
        [...this.manifests].find(
          ([key, { bytes }]) => key.startsWith(`${repository}:`) && digestOf(bytes) === rest,
        )?.[1];
      if (!stored) return unknown('MANIFEST_UNKNOWN');
      return {
        status: 200,
        headers: {
          'Content-Type': stored.mediaType,
          'Docker-Content-Digest': digestOf(stored.bytes),
        },
        body: stored.bytes,
      };
    }
    if (kind === 'manifests' && request.method === 'PUT') {
      const parsed = JSON.parse(body.toString()) as {
        config: { digest: string };
        layers: Array<{ digest: string }>;
      };
      const missing = [parsed.config, ...parsed.layers].some(
        ({ digest }) => !this.blobsOf(repository).has(digest),
      );
      if (missing)
        return {
          status: 400,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            errors: [
              { code: 'MANIFEST_BLOB_UNKNOWN', message: `unknown blob in ${body.toString()}` },
            ],
          }),
        };
      this.manifests.set(`${repository}:${rest}`, {
        bytes: body,
        mediaType: request.contentType ?? '',
      });
      return { status: 201, headers: { 'Docker-Content-Digest': digestOf(body) } };
    }
    if (kind === 'blobs' && rest === 'uploads/' && request.method === 'POST') {
      const digest = url.searchParams.get('mount') ?? '';
      const blob = this.blobsOf(url.searchParams.get('from') ?? '').get(digest);
      if (this.refuseMounts || !blob)
        return { status: 202, headers: { Location: `/v2/${repository}/blobs/uploads/session-1` } };
      this.blobsOf(repository).set(digest, blob);
      return { status: 201, headers: { Location: `/v2/${repository}/blobs/${digest}` } };
    }
    if (kind === 'blobs' && rest.startsWith('uploads/') && request.method === 'DELETE')
      return { status: 204 };
    const blob = this.blobsOf(repository).get(rest);
    return blob ? { status: 200, body: blob } : unknown('BLOB_UNKNOWN');
  }
}

/** A request passed on to a real registry, and its answer as that registry gave it. */
async function forward(
  upstream: string,
  request: http.IncomingMessage,
  body: Buffer,
): Promise<Answer> {
  const headers = Object.entries(request.headers).filter(
    (header): header is [string, string] =>
      typeof header[1] === 'string' &&
      !['host', 'connection', 'content-length'].includes(header[0]),
  );
  const method = request.method ?? 'GET';
  const response = await fetch(`http://${upstream}${request.url ?? '/'}`, {
    method,
    headers,
    ...(!['GET', 'HEAD'].includes(method) && { body }),
    redirect: 'manual',
  });
  const kept = [...response.headers].filter(
    ([name]) =>
      !['content-length', 'connection', 'transfer-encoding', 'content-encoding'].includes(name),
  );
  return {
    status: response.status,
    headers: Object.fromEntries(kept),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** A loopback port that nothing listens on: a registry that is down. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
