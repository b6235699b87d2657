import { AuditInputError, queryAudit, verifyAuditChain, type AuditEntry, type ChainBreak } from '../audit/index.js';
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

const VerificationRef = builder
  .objectRef<{ ok: boolean; checked: number; broken: ChainBreak | null; headSeq: string | null; headHash: string | null }>('AuditVerification')
  .implement({
    description: 'The result of walking the whole chain.',
    fields: (t) => ({
      ok: t.exposeBoolean('ok'),
      checked: t.exposeInt('checked', { description: 'Entries checked.' }),
      firstBroken: t.field({ type: ChainBreakRef, nullable: true, resolve: (result) => result.broken }),
      headSeq: t.exposeString('headSeq', { nullable: true, description: 'The last entry: keep it to detect a cut tail later.' }),
      headHash: t.exposeString('headHash', { nullable: true }),
    }),
  });

builder.queryField('verifyAuditLog', (t) =>
  t.field({
    type: VerificationRef,
    description: 'Recomputes every hash and link of the audit chain and names the first broken entry. Administrators only.',
    resolve: async (_root, _args, ctx) => {
      await authorize(ctx, 'read', 'AuditEntry');
      const result = await verifyAuditChain(ctx.services.db.prisma);
      return result.ok
        ? { ok: true, checked: result.checked, broken: null, headSeq: result.head?.seq.toString() ?? null, headHash: result.head?.hash ?? null }
        : { ok: false, checked: result.checked, broken: result.broken, headSeq: null, headHash: null };
    },
  }),
);
