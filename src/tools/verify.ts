import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as openpgp from 'openpgp';

/**
 * Verifies a detached signature against one key, and fails unless it is valid. (HashiCorp's
 * own js-releases tests the truthiness of openpgp's result object, which never fails; the
 * verdict is the awaited `verified` promise of the signature.)
 */
export async function verifyDetachedSignature(
  data: Uint8Array,
  signature: Uint8Array,
  armoredKey: string,
): Promise<void> {
  let key: openpgp.PublicKey;
  try {
    key = await openpgp.readKey({ armoredKey });
  } catch (error) {
    throw new Error(`The release signing key does not parse: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    const result = await openpgp.verify({
      message: await openpgp.createMessage({ binary: data }),
      signature: await openpgp.readSignature({ binarySignature: signature }),
      verificationKeys: key,
      expectSigned: true,
    });
    await result.signatures[0].verified;
  } catch (error) {
    throw new Error(
      `The SHA256SUMS signature does not verify against key ${key.getFingerprint().toUpperCase()}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** The checksum that a SHA256SUMS file gives for exactly this file name. */
export function checksumFor(sums: string, fileName: string): string | undefined {
  for (const line of sums.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *]?(.+)$/.exec(line.trim());
    if (match && match[2] === fileName) return match[1];
  }
  return undefined;
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}
