import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizedKeyLine, proxyKeys } from '../../src/packer/proxy-keys.js';

/** Reads the length-prefixed strings of an OpenSSH public key blob. */
function sshStrings(blob: Buffer): Buffer[] {
  const strings: Buffer[] = [];
  for (let at = 0; at < blob.length;) {
    const length = blob.readUInt32BE(at);
    strings.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return strings;
}

describe('authorizedKeyLine', () => {
  it('encodes the key itself as OpenSSH does', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const [type, base64, ...rest] = authorizedKeyLine(publicKey).trimEnd().split(' ');
    expect(type).toBe('ssh-ed25519');
    expect(rest).toEqual([]);
    const [name, raw] = sshStrings(Buffer.from(base64, 'base64'));
    expect(name.toString()).toBe('ssh-ed25519');
    const jwk = publicKey.export({ format: 'jwk' });
    expect(raw.toString('base64url')).toBe(jwk.x);
  });
});

describe('proxyKeys', () => {
  it('gives a private host key and another key’s public half, new each time', () => {
    const keys = proxyKeys();
    const host = createPrivateKey(keys.hostKey);
    expect(host.asymmetricKeyType).toBe('ed25519');
    expect(keys.authorizedKey).not.toBe(authorizedKeyLine(createPublicKey(host)));
    expect(proxyKeys().hostKey).not.toBe(keys.hostKey);
  });
});
