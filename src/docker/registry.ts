import { createHash } from 'node:crypto';
import { parseImageReference } from '../reference.js';
import type { RegistryAuth } from './auth.js';
import { registryOf, repositoryOf } from './auth.js';

export const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
export const IMAGE_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
export const MANIFEST_TYPES = [...INDEX_TYPES, ...IMAGE_TYPES].join(', ');

/** No request may hold the build: a cache lookup that hangs is worse than a build. */
const REQUEST_TIMEOUT_MS = 10_000;

/** OAuth2 grants require a client_id; Docker sends its own ("docker"), we send ours. */
export const CLIENT_ID = 'ansible-image-action';

/** Docker talks plain HTTP to registries on the loopback, as it does by default. */
export function baseUrl(registry: string): string {
  if (registry === 'docker.io') return 'https://registry-1.docker.io';
  const host = registry.replace(/:\d+$/, '');
  const loopback = host === 'localhost' || host.startsWith('127.') || host === '[::1]';
  return `${loopback ? 'http' : 'https'}://${registry}`;
}

/** Where the registry API answers for a tag's manifest, or for a digest's when there is no tag. */
export function manifestUrl(reference: string): string {
  const { tag, digest } = parseImageReference(reference);
  return `${repositoryUrl(reference)}/manifests/${tag ?? digest ?? 'latest'}`;
}

export const repositoryUrl = (reference: string) =>
  `${baseUrl(registryOf(reference))}/v2/${repositoryOf(reference)}`;

export const sha256 = (bytes: Uint8Array) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function basic(auth?: RegistryAuth): string | undefined {
  return auth?.username && auth.password
    ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    : undefined;
}

/** A request whose network failure names what it tried to reach, not just "fetch failed". */
async function reach(
  what: string,
  url: URL | string,
  { timeoutMs = REQUEST_TIMEOUT_MS, ...init }: RegistryRequest,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : (((error as Error).cause as Error | undefined)?.message ?? (error as Error).message);
    throw new Error(`Cannot reach ${what}: ${reason}`, { cause: error });
  }
}

const ask = (registry: string, realm: URL, init: RequestInit) =>
  reach(`the token service of ${registry} at ${realm.origin}`, realm, init);

const tokenService = (registry: string, realm: URL) =>
  `The token service of ${registry} (${realm.origin}${realm.pathname})`;

/** The token of a token service's answer; its body is never quoted, as it may echo a secret. */
async function tokenOf(registry: string, realm: URL, response: Response): Promise<string> {
  if (!response.ok)
    throw new Error(`${tokenService(registry, realm)} refused a token: HTTP ${response.status}`);
  let body: { token?: string; access_token?: string };
  try {
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw new Error(`${tokenService(registry, realm)} answered without JSON`, { cause: error });
  }
  const token = body.access_token || body.token;
  if (!token) throw new Error(`${tokenService(registry, realm)} answered without a token`);
  return token;
}

/**
 * An identity token is an OAuth2 refresh token (distribution's spec/auth/oauth.md): it goes only
 * in the form body of a POST to the realm, as Docker sends it, never in a URL or a header.
 */
async function refreshTokenGrant(
  registry: string,
  realm: URL,
  params: Record<string, string>,
  identitytoken: string,
): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: identitytoken });
  for (const key of ['service', 'scope']) if (params[key]) form.set(key, params[key]);
  form.set('client_id', CLIENT_ID);
  const response = await ask(registry, realm, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  // A token service without OAuth2 answers 404 to POST; its GET flow only knows passwords.
  if (response.status === 404)
    throw new Error(
      `${tokenService(registry, realm)} does not support OAuth2 (HTTP 404 for POST), which the stored identity token needs: log in with a user name and password instead`,
    );
  return tokenOf(registry, realm, response);
}

/** The GET flow of distribution's spec/auth/token.md, with Basic auth when there is a password. */
async function basicTokenGrant(
  registry: string,
  realm: URL,
  params: Record<string, string>,
  auth?: RegistryAuth,
): Promise<string> {
  const url = new URL(realm);
  if (params.service) url.searchParams.set('service', params.service);
  // A challenge for a cross-repository mount names two scopes, space-separated; the GET flow
  // takes each as a parameter of its own.
  for (const scope of params.scope?.split(' ').filter(Boolean) ?? [])
    url.searchParams.append('scope', scope);
  const credentials = basic(auth);
  if (credentials) url.searchParams.set('account', auth?.username as string);
  const response = await ask(
    registry,
    url,
    credentials ? { headers: { Authorization: credentials } } : {},
  );
  return tokenOf(registry, realm, response);
}

/** The Authorization header that answers a 401's WWW-Authenticate challenge. */
async function authorization(
  registry: string,
  challenge: string,
  auth?: RegistryAuth,
): Promise<string | undefined> {
  if (/^Basic/i.test(challenge)) return basic(auth);
  const params = Object.fromEntries(
    [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]]),
  );
  if (!params.realm) return undefined;
  let realm: URL;
  try {
    realm = new URL(params.realm);
  } catch (error) {
    throw new Error(`The token realm of ${registry} is not a URL: ${params.realm}`, {
      cause: error,
    });
  }
  const token = auth?.identitytoken
    ? await refreshTokenGrant(registry, realm, params, auth.identitytoken)
    : await basicTokenGrant(registry, realm, params, auth);
  return `Bearer ${token}`;
}

/** A request whose body takes long to send (a blob) sets its own timeout. */
export type RegistryRequest = RequestInit & { timeoutMs?: number };

export type Send = (url: string, init?: RegistryRequest) => Promise<Response>;

/**
 * Requests to one registry with one set of credentials. A 401 is answered from its challenge,
 * and the header obtained serves the call's later requests, which need the same scope: one
 * token grant per call rather than one per request.
 */
export function session(registry: string, auth?: RegistryAuth): Send {
  let header: string | undefined;
  return async (url, init = {}) => {
    const send = () =>
      reach(`the registry ${registry}`, url, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          ...(header && { Authorization: header }),
        },
      });
    let response = await send();
    const challenge = response.headers.get('www-authenticate');
    if (response.status === 401 && challenge) {
      await response.body?.cancel();
      header = await authorization(registry, challenge, auth);
      response = await send();
    }
    return response;
  };
}

/**
 * An error for a refused request, with the registry's error codes (MANIFEST_BLOB_UNKNOWN,
 * DENIED…) but not its messages, which may quote the request.
 */
export async function refused(what: string, response: Response): Promise<Error> {
  let codes: string[] = [];
  try {
    const body = (await response.json()) as { errors?: Array<{ code?: unknown }> };
    codes = (body.errors ?? [])
      .map((error) => error.code)
      .filter((code): code is string => typeof code === 'string' && /^[A-Z_]+$/.test(code));
  } catch {
    // no JSON: the status says it all
  }
  return new Error(
    `${what}: HTTP ${response.status}${codes.length ? ` (${codes.join(', ')})` : ''}`,
  );
}

/** The manifest digest that the registry itself reports for a tag (Docker-Content-Digest). */
export async function registryDigest(reference: string, auth?: RegistryAuth): Promise<string> {
  const response = await session(registryOf(reference), auth)(manifestUrl(reference), {
    method: 'HEAD',
    headers: { Accept: MANIFEST_TYPES },
  });
  const digest = response.headers.get('docker-content-digest');
  if (!response.ok || !digest)
    throw new Error(`The registry did not confirm ${reference}: HTTP ${response.status}`);
  return digest;
}

/** The parts of an image config that decide whether an image can be reused. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  created?: string;
  config?: { Labels?: Record<string, string> | null };
}

export interface RegistryImage {
  digest: string;
  mediaType: string;
  /** The manifest as the registry stores it: the digest is over these bytes, not over a re-serialisation. */
  manifest: Buffer;
  /** The config blob's digest, which is also the ID the engine gives the image once pulled. */
  configDigest: string;
  config: ImageConfig;
}

interface Descriptor {
  digest: string;
}

function descriptors(
  reference: string,
  manifest: Buffer,
): { config: Descriptor; layers: Descriptor[] } {
  let parsed: { config?: Descriptor; layers?: Descriptor[] };
  try {
    parsed = JSON.parse(manifest.toString('utf8')) as typeof parsed;
  } catch (error) {
    throw new Error(`The manifest of ${reference} is not JSON`, { cause: error });
  }
  if (typeof parsed.config?.digest !== 'string' || !Array.isArray(parsed.layers))
    throw new Error(`The manifest of ${reference} names no config or no layers`);
  return { config: parsed.config, layers: parsed.layers };
}

/**
 * An image's manifest and config, straight from the registry and checked against their
 * digests; undefined when the registry has no such tag (404).
 */
export async function readImage(
  reference: string,
  auth?: RegistryAuth,
): Promise<RegistryImage | undefined> {
  const registry = registryOf(reference);
  const send = session(registry, auth);
  const response = await send(manifestUrl(reference), { headers: { Accept: MANIFEST_TYPES } });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) throw await refused(`Cannot read ${reference} from ${registry}`, response);
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
  if (!IMAGE_TYPES.includes(mediaType)) {
    await response.body?.cancel();
    throw new Error(
      INDEX_TYPES.includes(mediaType)
        ? `${reference} in ${registry} is a multi-platform index (${mediaType}), which reuse does not support yet`
        : `${reference} in ${registry} has a manifest of type "${mediaType}", which reuse does not support`,
    );
  }
  const manifest = Buffer.from(await response.arrayBuffer());
  const digest = response.headers.get('docker-content-digest');
  if (digest !== sha256(manifest))
    throw new Error(
      `The manifest of ${reference} from ${registry} does not match its digest ${digest ?? '(none reported)'}`,
    );
  const configDigest = descriptors(reference, manifest).config.digest;
  const blob = await send(`${repositoryUrl(reference)}/blobs/${configDigest}`);
  if (!blob.ok)
    throw await refused(
      `Cannot read the config ${configDigest} of ${reference} from ${registry}`,
      blob,
    );
  const bytes = Buffer.from(await blob.arrayBuffer());
  if (sha256(bytes) !== configDigest)
    throw new Error(
      `The config of ${reference} from ${registry} does not match its digest ${configDigest}`,
    );
  let config: ImageConfig;
  try {
    config = JSON.parse(bytes.toString('utf8')) as ImageConfig;
  } catch (error) {
    throw new Error(`The config of ${reference} from ${registry} is not JSON`, { cause: error });
  }
  return { digest, mediaType, manifest, configDigest, config };
}

/**
 * Stores a manifest under the reference's tag, byte for byte, and returns the digest the
 * registry reports for it, which must be the bytes' own.
 */
export async function putManifest(
  reference: string,
  manifest: Buffer,
  mediaType: string,
  auth?: RegistryAuth,
): Promise<string> {
  const registry = registryOf(reference);
  const response = await session(registry, auth)(manifestUrl(reference), {
    method: 'PUT',
    headers: { 'Content-Type': mediaType },
    body: manifest,
  });
  if (!response.ok)
    throw await refused(`${registry} refused the manifest for ${reference}`, response);
  await response.body?.cancel();
  const digest = response.headers.get('docker-content-digest');
  const expected = sha256(manifest);
  if (digest !== expected)
    throw new Error(
      `${registry} stored the manifest for ${reference} as ${digest ?? '(no digest reported)'}, not as ${expected}`,
    );
  return digest;
}

/**
 * Links the blobs of a manifest (config and layers) from another repository of the same
 * registry into the reference's repository, so that a manifest PUT there needs no upload.
 */
export async function mountBlobs(
  reference: string,
  from: string,
  manifest: Buffer,
  auth?: RegistryAuth,
): Promise<void> {
  const registry = registryOf(reference);
  const repository = repositoryOf(reference);
  const send = session(registry, auth);
  const uploads = `${repositoryUrl(reference)}/blobs/uploads/`;
  const { config, layers } = descriptors(reference, manifest);
  for (const { digest } of [config, ...layers]) {
    const response = await send(`${uploads}?${new URLSearchParams({ mount: digest, from })}`, {
      method: 'POST',
    });
    const what = `${registry} did not mount ${digest} from ${from} into ${repository}`;
    if (response.status === 202) {
      await response.body?.cancel();
      // A registry that does not mount opens an upload session instead (distribution's spec):
      // nothing will complete it, so it goes at once rather than when the registry purges it.
      const location = response.headers.get('location');
      if (location)
        await send(new URL(location, uploads).href, { method: 'DELETE' }).then(
          (cancelled) => cancelled.body?.cancel(),
          () => undefined,
        );
      throw new Error(
        `${what}: it offered an upload instead (HTTP 202), so the image must be pushed there`,
      );
    }
    if (response.status !== 201) throw await refused(what, response);
    await response.body?.cancel();
  }
}
