import type { PrismaClient } from '../generated/prisma/client.js';
import { checkSignedHeads, type SignedHeadReport } from './head-check.js';
import type { HeadVerifyKeys } from './signing-keys.js';
import { verifyAuditChain, type VerifyOptions, type VerifyResult } from './verify.js';

export interface AuditLogVerification {
  /** The chain intact, no signed head contradicted, none invalid. Unsigned entries do not count against it: see signatures.unsigned. */
  ok: boolean;
  chain: VerifyResult;
  signatures: SignedHeadReport;
}

export interface VerifyLogOptions extends VerifyOptions {
  /** Public keys of the heads' signers (resolveVerifyKeys). Empty: every head unchecked, every entry unsigned. */
  keys: HeadVerifyKeys;
}

/**
 * `audit verify`: the hash chain (verifyAuditChain, its fast path untouched),
 * then every signed head against it (checkSignedHeads). The chain alone
 * cannot tell a re-hashed tail or a well-formed appended entry from the real
 * ones; a signed head can, up to its seq.
 */
export async function verifyAuditLog(prisma: PrismaClient, options: VerifyLogOptions): Promise<AuditLogVerification> {
  const { keys, ...chainOptions } = options;
  const chain = await verifyAuditChain(prisma, chainOptions);
  const signatures = await checkSignedHeads(prisma, keys);
  return { ok: chain.ok && signatures.forged === null && signatures.invalid.count === 0, chain, signatures };
}
