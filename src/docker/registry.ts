import { parseImageReference } from '../reference.js';
import type { RegistryAuth } from './auth.js';
import { registryOf, repositoryOf } from './auth.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** OAuth2 grants require a client_id; Docker sends its own ("docker"), we send ours. */
export const CLIENT_ID = 'ansible-image-action';

/** Docker talks plain HTTP to registries on the loopback, as it does by default. */
function baseUrl(registry: string): string {
  if (registry === 'docker.io') return 'https://registry-1.docker.io';
  const host = registry.replace(/:\d+$/, '');
  const loopback = host === 'localhost' || host.startsWith('127.') || host === '[::1]';
  return `${loopback ? 'http' : 'https'}://${registry}`;
}

/** Where the registry API answers for a tag's manifest. */
export function manifestUrl(reference: string): string {
  const { tag } = parseImageReference(reference);
  return `${baseUrl(registryOf(reference))}/v2/${repositoryOf(reference)}/manifests/${tag ?? 'latest'}`;
}

function basic(auth?: RegistryAuth): string | undefined {
  return auth?.username && auth.password
    ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
    : undefined;
}

/** A request to a token service; a network failure names the service, not just "fetch failed". */
async function ask(registry: string, realm: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(realm, init);
  } catch (error) {
    const reason =
      ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    throw new Error(`Cannot reach the token service of ${registry} at ${realm.origin}: ${reason}`, {
      cause: error,
    });
  }
}

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
  for (const key of ['service', 'scope']) if (params[key]) url.searchParams.set(key, params[key]);
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

/** The manifest digest that the registry itself reports for a tag (Docker-Content-Digest). */
export async function registryDigest(reference: string, auth?: RegistryAuth): Promise<string> {
  const registry = registryOf(reference);
  const url = manifestUrl(reference);
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
    response = await request(await authorization(registry, challenge, auth));
  const digest = response.headers.get('docker-content-digest');
  if (!response.ok || !digest)
    throw new Error(`The registry did not confirm ${reference}: HTTP ${response.status}`);
  return digest;
}
