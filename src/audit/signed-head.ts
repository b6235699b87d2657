import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import type { ChainHead } from './types.js';

/** First element of every head encoding; a new encoding would get a new tag, never a silent change. */
export const HEAD_ENCODING_TAG = 'fg-audit-head-v1';

/** A chain head and the signature that vouches for it: a row of audit_signed_head. */
export interface SignedHead extends ChainHead {
  signedAt: Date;
  /** Which key signed: see keyIdOf. */
  keyId: string;
  /** Ed25519 over headEncoding, base64url. */
  signature: string;
}

/** The fields a signature covers. */
export type UnsignedHead = Omit<SignedHead, 'signature'>;

/**
 * What is signed: a JSON array in a fixed order, as the entry encoding
 * (docs/audit.md). The seq is also the number of entries the head covers,
 * the chain starting at 1 with no gap, so no separate count is signed.
 */
export function headEncoding(head: UnsignedHead): string {
  return JSON.stringify([HEAD_ENCODING_TAG, head.seq.toString(), head.hash, head.signedAt.toISOString(), head.keyId]);
}

/**
 * A key's id: hex of the first 16 bytes of SHA-256 over its raw 32-byte
 * public key. Verify picks the key by it, so a key can be replaced and the
 * heads signed with the old one still checked with its public key.
 */
export function keyIdOf(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('not an Ed25519 public key');
  return createHash('sha256').update(Buffer.from(jwk.x, 'base64url')).digest('hex').slice(0, 32);
}

/** Signs a head with an Ed25519 private key whose public key has id `head.keyId`. */
export function signHead(head: UnsignedHead, privateKey: KeyObject): SignedHead {
  return { ...head, signature: sign(null, Buffer.from(headEncoding(head)), privateKey).toString('base64url') };
}

/** Whether the signature is the one `publicKey` makes over this head's fields. */
export function headSignatureValid(head: SignedHead, publicKey: KeyObject): boolean {
  const signature = Buffer.from(head.signature, 'base64url');
  // base64url decoding skips what it cannot read: only the exact text of 64 bytes counts.
  if (signature.length !== 64 || signature.toString('base64url') !== head.signature) return false;
  return verify(null, Buffer.from(headEncoding(head)), publicKey, signature);
}
