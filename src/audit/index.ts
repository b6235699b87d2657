export { ENCODING_TAG, GENESIS_HASH, canonicalEncoding, canonicalJson, entryHash, type ChainedFields } from './canonical.js';
export { decodeCursor, encodeCursor } from './cursor.js';
export { AUDIT_EXPORT_FORMATS, EXPORT_COLUMNS, exportAudit, type AuditExportFormat, type AuditExportOptions } from './export.js';
export { AuditInputError } from './input.js';
export { AUDIT_LOCK_KEY } from './lock.js';
export { AuditWriteError, createAuditLog, type AuditLog, type AuditLogOptions } from './log.js';
export { MAX_PAGE_SIZE, queryAudit, type AuditFilter, type AuditPage, type AuditPageRequest } from './query.js';
export {
  verifyAuditChain,
  type ChainBreak,
  type ChainProblem,
  type VerifyOptions,
  type VerifyResult,
} from './verify.js';
export type { AuditActor, AuditDecision, AuditEntry, AuditEntryInput, ChainHead, JsonValue } from './types.js';
export { checkSignedHeads, type Forgery, type SignedHeadReport } from './head-check.js';
export { SIGNED_HEAD_COLUMNS, exportSignedHeads } from './head-export.js';
export { createHeadSigner, type HeadSigner, type HeadSignerOptions } from './head-signer.js';
export { HEAD_ENCODING_TAG, headEncoding, headSignatureValid, keyIdOf, signHead, type SignedHead, type UnsignedHead } from './signed-head.js';
export {
  devSigningKeyPath,
  resolveSigningKey,
  resolveVerifyKeys,
  type AuditKeyConfig,
  type HeadSigningKey,
  type HeadVerifyKeys,
} from './signing-keys.js';
export { verifyAuditLog, type AuditLogVerification, type VerifyLogOptions } from './verify-log.js';
