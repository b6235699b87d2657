import {
  AuditInputError,
  queryAudit,
  resolveVerifyKeys,
  verifyAuditLog,
  type AuditEntry,
  type ChainBreak,
  type Forgery,
  type SignedHead,
  type SignedHeadReport,
} from '../audit/index.js';
import { builder } from './builder.js';
import { authorize } from './authorize.js';
import { badUserInput } from './errors.js';

const AuditDecisionEnum = builder.enumType('AuditDecision', { values: ['ALLOW', 'DENY'] as const });

const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry').implement({
  description: 'One policy decision or administrative change, in a SHA-256 hash chain.',
  fields: (t) => ({
    seq: t.string({ description: 'Position in the chain (a 64-bit integer, as a string).', resolve: (entry) => entry.seq.toString() }),
    at: t.expose('at', { type: 'DateTime' }),
    actorSubject: t.exposeString('actorSubject', { nullable: true, description: 'Null for the gateway itself.' }),
    actorGroups: t.exposeStringList('actorGroups'),
    actorRoles: t.exposeStringList('actorRoles'),
    action: t.exposeString('action'),
    subjectType: t.exposeString('subjectType', { nullable: true }),
    subjectId: t.exposeString('subjectId', { nullable: true }),
    decision: t.expose('decision', { type: AuditDecisionEnum }),
    rule: t.exposeString('rule', { nullable: true, description: 'The rule that decided.' }),
    reason: t.exposeString('reason', { nullable: true }),
    requestId: t.exposeString('requestId', { nullable: true }),
    clientAddress: t.exposeString('clientAddress', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    callerReason: t.exposeString('callerReason', { nullable: true, description: 'The reason text the caller gave.' }),
    details: t.field({ type: 'JSON', nullable: true, resolve: (entry) => entry.details }),
    prevHash: t.exposeString('prevHash'),
    hash: t.exposeString('hash'),
  }),
});

const AuditPageRef = builder.objectRef<{ entries: AuditEntry[]; nextCursor: string | null }>('AuditLogPage').implement({
  description: 'Entries newest first; pass nextCursor as `after` for older ones.',
  fields: (t) => ({
    entries: t.field({ type: [AuditEntryRef], resolve: (page) => page.entries }),
    nextCursor: t.exposeString('nextCursor', { nullable: true, description: 'Null on the oldest page.' }),
  }),
});

const AuditFilter = builder.inputType('AuditLogFilter', {
  fields: (t) => ({
    actor: t.string({ description: "The actor's subject." }),
    action: t.string({ description: 'e.g. failover, account.update.' }),
    decision: t.field({ type: AuditDecisionEnum }),
    subjectType: t.string(),
    subjectId: t.string(),
    from: t.field({ type: 'DateTime', description: 'At or after.' }),
    to: t.field({ type: 'DateTime', description: 'Strictly before.' }),
  }),
});

builder.queryField('auditLog', (t) =>
  t.field({
    type: AuditPageRef,
    description: 'The audit log, newest first (keyset pages). Administrators only.',
    args: {
      filter: t.arg({ type: AuditFilter }),
      first: t.arg.int({ description: 'Page size, 1 to 500. Default: 50.' }),
      after: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      await authorize(ctx, 'read', 'AuditEntry');
      const filter = args.filter ?? {};
      try {
        return await queryAudit(
          ctx.services.db.prisma,
          {
            actorSubject: filter.actor ?? undefined,
            action: filter.action ?? undefined,
            decision: filter.decision ?? undefined,
            subjectType: filter.subjectType ?? undefined,
            subjectId: filter.subjectId ?? undefined,
            from: filter.from ?? undefined,
            to: filter.to ?? undefined,
          },
          { first: args.first ?? undefined, after: args.after },
        );
      } catch (error) {
        if (error instanceof AuditInputError) throw badUserInput(error.message);
        throw error;
      }
    },
  }),
);

const ChainBreakRef = builder.objectRef<ChainBreak>('AuditChainBreak').implement({
  fields: (t) => ({
    seq: t.string({ resolve: (broken) => broken.seq.toString() }),
    problem: t.exposeString('problem', { description: 'missing, unexpected-seq, hash-mismatch, prev-hash-mismatch, reordered.' }),
    message: t.exposeString('message'),
  }),
});

const SignedHeadRef = builder.objectRef<SignedHead>('AuditSignedHead').implement({
  description: "A head of the audit chain signed with the gateway's Ed25519 key: entries up to it cannot change without contradicting it.",
  fields: (t) => ({
    seq: t.string({ description: 'The entry the head names (also the number of entries it covers).', resolve: (head) => head.seq.toString() }),
    hash: t.exposeString('hash'),
    signedAt: t.expose('signedAt', { type: 'DateTime' }),
    keyId: t.exposeString('keyId', { description: 'The signing key: hex of the first 16 bytes of SHA-256 over its raw public key.' }),
    signature: t.exposeString('signature', { description: 'Ed25519, base64url.' }),
  }),
});

const ForgeryRef = builder.objectRef<Forgery>('AuditForgery').implement({
  description: 'Entries that a validly signed head contradicts.',
  fields: (t) => ({
    fromSeq: t.string({ description: 'The first entry that may have been forged.', resolve: (forgery) => forgery.fromSeq.toString() }),
    toSeq: t.string({ description: 'The entry the contradicted head names.', resolve: (forgery) => forgery.toSeq.toString() }),
    message: t.exposeString('message'),
  }),
});

const SignaturesRef = builder.objectRef<SignedHeadReport>('AuditSignatureCheck').implement({
  description: 'What the signed heads say about the chain.',
  fields: (t) => ({
    checked: t.exposeInt('checked', { description: 'Signed heads whose signature verified.' }),
    unchecked: t.int({ description: 'Signed heads left unchecked: no public key for their key id.', resolve: (report) => report.unchecked.count }),
    uncheckedKeyIds: t.stringList({ description: 'The key ids of the unchecked heads.', resolve: (report) => report.unchecked.keyIds }),
    lastSigned: t.field({ type: SignedHeadRef, nullable: true, description: 'The newest signed head the chain agrees with.', resolve: (report) => report.lastSigned }),
    unsignedEntries: t.int({ description: 'Entries after lastSigned: not yet signed, or appended without the key.', resolve: (report) => report.unsigned.count }),
    oldestUnsignedAt: t.field({ type: 'DateTime', nullable: true, description: 'Time of the first unsigned entry.', resolve: (report) => report.unsigned.oldestAt }),
    forged: t.field({ type: ForgeryRef, nullable: true, description: 'The first signed head the chain contradicts.', resolve: (report) => report.forged }),
    contradicted: t.exposeInt('contradicted', { description: 'Validly signed heads the chain contradicts.' }),
    invalid: t.int({ description: 'Signed heads whose signature does not verify with their key.', resolve: (report) => report.invalid.count }),
    firstInvalidMessage: t.string({ nullable: true, resolve: (report) => report.invalid.first?.message ?? null }),
  }),
});

interface Verification {
  ok: boolean;
  checked: number;
  broken: ChainBreak | null;
  headSeq: string | null;
  headHash: string | null;
  signatures: SignedHeadReport;
}

const VerificationRef = builder.objectRef<Verification>('AuditVerification').implement({
  description: 'The result of walking the whole chain and checking every signed head against it.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'The chain intact, no signed head contradicted, none invalid (unsigned entries do not count against it).' }),
    checked: t.exposeInt('checked', { description: 'Entries checked.' }),
    firstBroken: t.field({ type: ChainBreakRef, nullable: true, resolve: (result) => result.broken }),
    headSeq: t.exposeString('headSeq', { nullable: true, description: 'The last entry: keep it to detect a cut tail later.' }),
    headHash: t.exposeString('headHash', { nullable: true }),
    signatures: t.field({ type: SignaturesRef, resolve: (result) => result.signatures }),
  }),
});

builder.queryField('verifyAuditLog', (t) =>
  t.field({
    type: VerificationRef,
    description: 'Recomputes every hash and link of the audit chain and names the first broken entry, then checks every signed head against it. Administrators only.',
    resolve: async (_root, _args, ctx): Promise<Verification> => {
      await authorize(ctx, 'read', 'AuditEntry');
      const { ok, chain, signatures } = await verifyAuditLog(ctx.services.db.prisma, { keys: resolveVerifyKeys(ctx.services.config) });
      return chain.ok
        ? { ok, checked: chain.checked, broken: null, headSeq: chain.head?.seq.toString() ?? null, headHash: chain.head?.hash ?? null, signatures }
        : { ok, checked: chain.checked, broken: chain.broken, headSeq: null, headHash: null, signatures };
    },
  }),
);
