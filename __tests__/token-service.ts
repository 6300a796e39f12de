import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/** One entry of a token's `access` claim (distribution's registry/auth/token ResourceActions). */
export interface ResourceActions {
  type: string;
  name: string;
  actions: string[];
}

/** What a client asked the token service for: no secrets, only which grant and for whom. */
export interface Grant {
  method: string;
  grantType: string;
  clientId?: string;
  subject: string;
  scopes: string[];
}

const LIFETIME_SECONDS = 300;

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * A token service for distribution's `auth: token`, as Docker Hub's or ACR's: GET with Basic
 * auth (spec/auth/token.md) and the OAuth2 POST with the password and refresh-token grants
 * (spec/auth/oauth.md). It signs RS256 JWTs whose `x5c` header carries its self-signed
 * certificate, which is the registry's `rootcertbundle`. Each user may pull and push the
 * repositories under `namespace/`; anyone else gets a token without access.
 */
export class TokenService {
  readonly grants: Grant[] = [];
  readonly issuer = 'itg-token-service';
  readonly service = 'itg-registry';
  private readonly directory = mkdtempSync(path.join(os.tmpdir(), 'itg-token-service-'));
  private readonly refreshTokens = new Map<string, string>();
  private readonly server: http.Server;
  private key?: KeyObject;
  private certificate?: string;

  constructor(
    readonly port: number,
    private readonly options: { users: Record<string, string>; namespace: string },
  ) {
    this.server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { status, answer } = this.handle(request, body);
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(answer));
      });
    });
  }

  get realm(): string {
    return `http://127.0.0.1:${this.port}/token`;
  }

  /** The registry's rootcertbundle: the certificate that signs every token. */
  get rootCertBundle(): string {
    return path.join(this.directory, 'cert.pem');
  }

  async start(): Promise<void> {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${this.issuer}`,
        '-keyout',
        path.join(this.directory, 'key.pem'),
        '-out',
        this.rootCertBundle,
      ],
      { stdio: 'ignore' },
    );
    this.key = createPrivateKey(readFileSync(path.join(this.directory, 'key.pem')));
    this.certificate = readFileSync(this.rootCertBundle, 'utf8')
      .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
      .replace(/\s/g, '');
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', resolve);
    });
  }

  async remove(): Promise<void> {
    if (this.server.listening)
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.directory, { recursive: true, force: true });
  }

  /** A JWT with the claims that distribution 2.8's token.Verify checks. */
  mint(subject: string, access: ResourceActions[]): string {
    if (!this.key || !this.certificate) throw new Error('the token service has not started');
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [this.certificate] };
    const claims = {
      iss: this.issuer,
      sub: subject,
      aud: this.service,
      exp: now + LIFETIME_SECONDS,
      nbf: now,
      iat: now,
      jti: randomBytes(16).toString('hex'),
      access,
    };
    const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${signed}.${base64url(sign('sha256', Buffer.from(signed), this.key))}`;
  }

  /** A refresh token for a user, as the password grant with access_type=offline returns it. */
  private refreshTokenFor(user: string): string {
    const token = randomBytes(24).toString('base64url');
    this.refreshTokens.set(token, user);
    return token;
  }

  /** Requested actions that the user holds: pull and push under the namespace. */
  private access(user: string, scopes: string[]): ResourceActions[] {
    return scopes.flatMap((scope) => {
      const first = scope.indexOf(':');
      const last = scope.lastIndexOf(':');
      if (first < 0 || last === first) return [];
      const [type, name] = [scope.slice(0, first), scope.slice(first + 1, last)];
      const actions = scope
        .slice(last + 1)
        .split(',')
        .filter((action) => action === 'pull' || action === 'push');
      const allowed =
        user !== '' && type === 'repository' && name.startsWith(`${this.options.namespace}/`);
      return allowed ? [{ type, name, actions }] : [];
    });
  }

  private handle(
    request: http.IncomingMessage,
    body: string,
  ): { status: number; answer: Record<string, unknown> } {
    const url = new URL(request.url ?? '/', this.realm);
    if (url.pathname !== '/token') return { status: 404, answer: { error: 'not_found' } };
    const unauthorized = {
      status: 401,
      answer: { error: 'unauthorized', error_description: 'invalid credentials' },
    };
    const issuedAt = new Date().toISOString();

    if (request.method === 'GET') {
      let user = '';
      const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
      if (basic) {
        const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        user = decoded.slice(0, colon);
        if (colon < 0 || this.options.users[user] !== decoded.slice(colon + 1)) return unauthorized;
      }
      const scopes = url.searchParams.getAll('scope');
      this.grants.push({
        method: 'GET',
        grantType: 'basic',
        clientId: url.searchParams.get('client_id') ?? undefined,
        subject: user,
        scopes,
      });
      const token = this.mint(user, this.access(user, scopes));
      // docker login asks for offline_token=true and keeps the refresh token, not the password.
      const offline = user !== '' && url.searchParams.get('offline_token') === 'true';
      return {
        status: 200,
        answer: {
          token,
          access_token: token,
          expires_in: LIFETIME_SECONDS,
          issued_at: issuedAt,
          ...(offline && { refresh_token: this.refreshTokenFor(user) }),
        },
      };
    }

    if (request.method === 'POST') {
      if (!/^application\/x-www-form-urlencoded/.test(request.headers['content-type'] ?? ''))
        return { status: 400, answer: { error: 'invalid_request' } };
      const form = new URLSearchParams(body);
      const grantType = form.get('grant_type') ?? '';
      let user: string | undefined;
      if (grantType === 'password') {
        const name = form.get('username') ?? '';
        if (
          this.options.users[name] === undefined ||
          this.options.users[name] !== form.get('password')
        )
          return unauthorized;
        user = name;
      } else if (grantType === 'refresh_token') {
        user = this.refreshTokens.get(form.get('refresh_token') ?? '');
        if (user === undefined) return unauthorized;
      } else {
        return { status: 400, answer: { error: 'unsupported_grant_type' } };
      }
      if (!form.get('client_id')) return { status: 400, answer: { error: 'invalid_request' } };
      const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
      this.grants.push({
        method: 'POST',
        grantType,
        clientId: form.get('client_id') ?? undefined,
        subject: user,
        scopes,
      });
      const offline = grantType === 'password' && form.get('access_type') === 'offline';
      return {
        status: 200,
        answer: {
          access_token: this.mint(user, this.access(user, scopes)),
          scope: scopes.join(' '),
          expires_in: LIFETIME_SECONDS,
          issued_at: issuedAt,
          ...(offline && { refresh_token: this.refreshTokenFor(user) }),
        },
      };
    }
    return { status: 405, answer: { error: 'method_not_allowed' } };
  }
}
