import { createPublicKey } from 'node:crypto';
import type { Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client.js';
import { readEncodedRange } from './chain-page.js';
import { headSignatureValid, signHead, type SignedHead } from './signed-head.js';
import type { HeadSigningKey } from './signing-keys.js';
import type { ChainHead } from './types.js';
import { linksUpEncoded } from './verify.js';

export interface HeadSignerOptions {
  prisma: PrismaClient;
  key: HeadSigningKey;
  /** Between two looks at the chain's head. */
  intervalMs: number;
  logger: Logger;
  /** Clock for signedAt. Default: the system clock. */
  now?: () => Date;
  /** Entries read per query when checking what a new head adds. Default: 5,000. */
  pageSize?: number;
}

export interface HeadSigner {
  /** Looks at the head every intervalMs from now on. */
  start(): void;
  /**
   * Signs the chain's head if it moved past the last head signed with this
   * key, after checking that the entries since link up to it. Resolves with
   * the head stored, or undefined: nothing new, another instance signed it
   * first, or the entries since do not verify (logged as an error).
   */
  signNow(): Promise<SignedHead | undefined>;
  /** Stops the timer and signs once more, for the entries appended last. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Signs the audit chain's head with the gateway's Ed25519 key, periodically
 * and on shutdown, into audit_signed_head. The key never reaches the
 * database, so a signed head is what someone who can only write there cannot
 * make: entries up to it cannot change without contradicting it.
 *
 * A head is signed only over entries that link up from the previous head this
 * key signed (from the first entry for a key's first head), so an edit made
 * between two looks is not signed over. Instances sharing the key and the
 * database may sign the same head; the seq is the table's key and the second
 * insert is skipped, so heads never conflict.
 */
export function createHeadSigner(options: HeadSignerOptions): HeadSigner {
  const { prisma, key, logger } = options;
  const now = options.now ?? (() => new Date());
  const pageSize = BigInt(options.pageSize ?? 5_000);
  const publicKey = createPublicKey(key.privateKey);
  let timer: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;
  // One look at a time: a tick that comes while the previous one runs waits for it.
  let running: Promise<SignedHead | undefined> = Promise.resolve(undefined);

  async function look(): Promise<SignedHead | undefined> {
    const [head] = await prisma.$queryRawUnsafe<ChainHead[]>('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1');
    if (!head) return undefined;
    const last = await prisma.auditSignedHead.findFirst({ where: { keyId: key.keyId }, orderBy: { seq: 'desc' } });
    if (last && last.seq >= head.seq) return undefined;
    if (last && !headSignatureValid(last, publicKey)) {
      logger.error({ seq: last.seq.toString() }, `signed head #${last.seq} does not verify with this gateway's key: audit_signed_head was written without the key; not signing until \`audit verify\` is looked at`);
      return undefined;
    }
    const reached = await linkedUpTo(last ?? null, head.seq);
    if (reached?.hash !== head.hash) {
      logger.error(
        { from: last?.seq.toString() ?? '0', to: head.seq.toString() },
        `the audit entries after #${last?.seq ?? 0n} up to #${head.seq} do not verify; not signing: run \`audit verify\``,
      );
      return undefined;
    }
    const signed = signHead({ seq: head.seq, hash: head.hash, signedAt: now(), keyId: key.keyId }, key.privateKey);
    const { count } = await prisma.auditSignedHead.createMany({ data: [signed], skipDuplicates: true });
    if (count === 0) return undefined;
    // Also a copy outside the database, for whoever ships the logs.
    logger.info({ seq: signed.seq.toString(), hash: signed.hash, keyId: signed.keyId, signature: signed.signature }, `audit chain head #${signed.seq} signed`);
    return signed;
  }

  /** Walks the entries after `from` up to seq `to` on verify's fast path; the last entry reached if all link up. */
  async function linkedUpTo(from: ChainHead | null, to: bigint): Promise<ChainHead | null> {
    let previous = from;
    for (let start = (from?.seq ?? 0n) + 1n; start <= to; start += pageSize) {
      const end = start + pageSize > to + 1n ? to + 1n : start + pageSize;
      const rows = await readEncodedRange(prisma, start, end);
      const reached = linksUpEncoded(rows, previous, undefined);
      if (!reached || reached.seq !== end - 1n) return null;
      previous = reached;
    }
    return previous;
  }

  function signNow(): Promise<SignedHead | undefined> {
    running = running.catch(() => undefined).then(look);
    return running;
  }

  function tick(): void {
    signNow().catch((error: unknown) => logger.warn({ err: error }, 'signing the audit chain head failed; trying again at the next look'));
  }

  return {
    start() {
      if (timer || stopped) return;
      timer = setInterval(tick, options.intervalMs);
      timer.unref();
    },
    signNow,
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        timer = undefined;
        try {
          await signNow();
        } catch (error) {
          logger.warn({ err: error }, 'signing the audit chain head on shutdown failed');
        }
      })();
      return stopped;
    },
  };
}
