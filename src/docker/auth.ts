import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCancellable } from '../exec.js';
import { secretForms } from '../redact.js';
import { parseImageReference } from '../reference.js';

/** Credentials in the form the Docker engine API takes them (X-Registry-Auth). */
export interface RegistryAuth {
  serveraddress: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface DockerConfig {
  auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string }
  >;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/** Docker's rule: a first component with a dot, a port, upper case or `localhost` is a host. */
function splitHost(reference: string): { host?: string; path: string } {
  const { name } = parseImageReference(reference);
  const slash = name.indexOf('/');
  const first = name.slice(0, slash);
  const hasHost =
    slash > 0 &&
    (first.includes('.') ||
      first.includes(':') ||
      first === 'localhost' ||
      first !== first.toLowerCase());
  return hasHost ? { host: first, path: name.slice(slash + 1) } : { path: name };
}

const isDockerHub = (host?: string) =>
  host === undefined || host === DOCKER_HUB || host === 'index.docker.io';

/** The registry host of a reference, as Docker decides it (Docker Hub when none is named). */
export function registryOf(reference: string): string {
  const { host } = splitHost(reference);
  return isDockerHub(host) ? DOCKER_HUB : (host as string);
}

/** The repository inside its registry, with Docker Hub's `library/` for official images. */
export function repositoryOf(reference: string): string {
  const { host, path } = splitHost(reference);
  return isDockerHub(host) && !path.includes('/') ? `library/${path}` : path;
}

/** The keys under which `docker login` may have stored a registry's credentials. */
export function configKeys(registry: string): string[] {
  if (registry === DOCKER_HUB)
    return [DOCKER_HUB_KEY, 'index.docker.io', DOCKER_HUB, 'registry-1.docker.io'];
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`];
}

/**
 * Finds the credentials that `docker login` (or docker/login-action) stored for a registry:
 * a credential helper for it, the global credential store, or the `auths` entry.
 */
export async function credentialsFor(registry: string): Promise<RegistryAuth | undefined> {
  const configDir = process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  const configFile = path.join(configDir, 'config.json');
  let config: DockerConfig;
  try {
    config = JSON.parse(await readFile(configFile, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(
      `Cannot read Docker credentials from ${configFile}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const keys = configKeys(registry);
  const serveraddress = registry === DOCKER_HUB ? DOCKER_HUB_KEY : registry;
  const helper = keys.map((key) => config.credHelpers?.[key]).find(Boolean) ?? config.credsStore;
  if (helper) {
    const fromHelper = await fromCredentialHelper(helper, keys, serveraddress);
    if (fromHelper) return fromHelper;
  }
  const entry = keys.map((key) => config.auths?.[key]).find(Boolean);
  if (!entry) return undefined;
  if (entry.identitytoken) return { serveraddress, identitytoken: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      throw new Error(`The stored credentials for ${registry} in ${configFile} are malformed`);
    return { serveraddress, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password)
    return { serveraddress, username: entry.username, password: entry.password };
  return undefined;
}

/** A helper may ask a keychain or a network service; it must not hold the build forever. */
const HELPER_TIMEOUT_SECONDS = 30;

/** The docker-credential-HELPER protocol: the server URL on stdin, JSON on stdout. */
async function fromCredentialHelper(
  helper: string,
  keys: string[],
  serveraddress: string,
): Promise<RegistryAuth | undefined> {
  for (const key of keys) {
    const stdout: string[] = [];
    const result = await runCancellable(`docker-credential-${helper}`, ['get'], {
      input: key,
      timeoutSeconds: HELPER_TIMEOUT_SECONDS,
      onLine: (line, stream) => (stream === 'stdout' ? stdout.push(line) : undefined),
    });
    if (result.timedOut)
      throw new Error(
        `docker-credential-${helper} did not answer within ${HELPER_TIMEOUT_SECONDS} s for ${key}`,
      );
    if (result.exitCode !== 0) continue; // "credentials not found in native keychain"
    const { Username, Secret } = JSON.parse(stdout.join('\n')) as {
      Username: string;
      Secret: string;
    };
    // A helper returns an identity token with the user name "<token>".
    return Username === '<token>'
      ? { serveraddress, identitytoken: Secret }
      : { serveraddress, username: Username, password: Secret };
  }
  return undefined;
}

/** Every form in which these credentials could show up in a log. */
export function credentialForms(auth: RegistryAuth): string[] {
  const header = JSON.stringify(auth);
  const forms = [
    ...[auth.password, auth.identitytoken].flatMap((secret) => (secret ? secretForms(secret) : [])),
    auth.username && auth.password
      ? Buffer.from(`${auth.username}:${auth.password}`).toString('base64')
      : undefined,
    Buffer.from(header).toString('base64'),
    Buffer.from(header).toString('base64url'),
  ];
  return forms.filter((form): form is string => Boolean(form));
}
