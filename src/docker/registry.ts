import { parseImageReference } from '../reference.js';
import type { RegistryAuth } from './auth.js';
import { registryOf } from './auth.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Docker talks plain HTTP to registries on the loopback, as it does by default. */
function baseUrl(registry: string): string {
  if (registry === 'docker.io') return 'https://registry-1.docker.io';
  const host = registry.replace(/:\d+$/, '');
  const loopback = host === 'localhost' || host.startsWith('127.') || host === '[::1]';
  return `${loopback ? 'http' : 'https'}://${registry}`;
}

function repositoryPath(reference: string, registry: string): string {
  const { name } = parseImageReference(reference);
  const path = name.startsWith(`${registry}/`) ? name.slice(registry.length + 1) : name;
  return registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
}

function basic(auth?: RegistryAuth): string | undefined {
  return auth?.username && auth.password
    ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    : undefined;
}

/** The Bearer token flow of the registry API, answering a 401's WWW-Authenticate challenge. */
async function authorization(challenge: string, auth?: RegistryAuth): Promise<string | undefined> {
  if (/^Basic/i.test(challenge)) return basic(auth);
  const params = Object.fromEntries(
    [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1].toLowerCase(), m[2]]),
  );
  if (!params.realm) return undefined;
  const url = new URL(params.realm);
  for (const key of ['service', 'scope']) if (params[key]) url.searchParams.set(key, params[key]);
  const credentials = basic(auth);
  const response = await fetch(url, credentials ? { headers: { Authorization: credentials } } : {});
  if (!response.ok) throw new Error(`the registry refused a token: HTTP ${response.status}`);
  const body = (await response.json()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  return token ? `Bearer ${token}` : undefined;
}

/** The manifest digest that the registry itself reports for a tag (Docker-Content-Digest). */
export async function registryDigest(reference: string, auth?: RegistryAuth): Promise<string> {
  const registry = registryOf(reference);
  const { tag } = parseImageReference(reference);
  const url = `${baseUrl(registry)}/v2/${repositoryPath(reference, registry)}/manifests/${tag ?? 'latest'}`;
  const request = (authorizationHeader?: string) =>
    fetch(url, {
      method: 'HEAD',
      headers: {
        Accept: MANIFEST_TYPES,
        ...(authorizationHeader && { Authorization: authorizationHeader }),
      },
    });
  let response = await request();
  const challenge = response.headers.get('www-authenticate');
  if (response.status === 401 && challenge)
    response = await request(await authorization(challenge, auth));
  const digest = response.headers.get('docker-content-digest');
  if (!response.ok || !digest)
    throw new Error(`The registry did not confirm ${reference}: HTTP ${response.status}`);
  return digest;
}
