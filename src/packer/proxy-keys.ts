import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * Keys for the SSH proxy that Packer's ansible provisioner starts whatever the connection. We
 * never use that proxy, but left to itself Packer makes two RSA-2048 keys for it, which takes
 * 0.2 to 1 s of every build. Ed25519 keys take a millisecond. The private half of the user key
 * is never kept, so nobody can log in through the proxy while it listens.
 */
export interface ProxyKeys {
  /** The proxy's host key, PKCS#8 PEM. */
  hostKey: string;
  /** The one key the proxy accepts, as an authorized_keys line. */
  authorizedKey: string;
}

export function proxyKeys(): ProxyKeys {
  const hostKey = generateKeyPairSync('ed25519').privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  return { hostKey, authorizedKey: authorizedKeyLine(generateKeyPairSync('ed25519').publicKey) };
}

/** An Ed25519 public key in OpenSSH's wire format: two length-prefixed strings. */
export function authorizedKeyLine(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // The SPKI encoding of an Ed25519 key ends with the 32 bytes of the key itself.
  const raw = spki.subarray(spki.length - 32);
  const sshString = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return `ssh-ed25519 ${blob.toString('base64')}\n`;
}
