import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { createLogger } from '../../../src/log/logger.js';
import { startGateway, type RunningGateway } from '../../../src/server/gateway.js';
import { startSimulator, type RunningSimulator } from '../../../src/simulator/index.js';
import { postGraphQL, type TestGateway } from '../../support/gateway.js';
import { eventually } from './races.js';
import { FAILOVER, failoverInput, ReplicaPool, type FailoverReplica } from './support.js';
import { auditSigningKeyFile } from '../../support/audit-key.js';
import { vbrServersFile } from '../../support/vbr-servers.js';

/**
 * Every typed error the failover mutation produces, from a gateway in
 * production mode in front of an EM (the simulator, reached over HTTP at its
 * loopback address and port): no message names a URL, an IP address, a port or
 * a path, each error carries the request id of the x-request-id header, and the
 * detail left out of the message is in that request's log lines.
 */

const SECRET = 'a-production-test-secret-of-enough-length';
const ISSUER = 'https://issuer.example';
const AUDIENCE = 'failover-gateway';

/** What must never reach a caller: a URL, an IPv4 or bracketed IPv6 address, a host's port, a path. */
const LEAKS: ReadonlyArray<readonly [string, RegExp]> = [
  ['a URL', /\b[a-z][a-z0-9+.-]*:\/\//i],
  ['an IP address', /\b\d{1,3}(?:\.\d{1,3}){3}\b|\[[0-9a-f:]+\]/i],
  ['a port', /(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\]|[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+):\d{1,5}\b|\bport \d+/i],
  ['a path', /(?:^|[\s'"(=])\/[\w.{}-]+\/[\w./{}?=&-]*/],
];

/** The tests' mutation, with the request id every error carries. */
const MUTATION = FAILOVER.replace('... on Error { code message }', '... on Error { code message requestId }');

const leaksIn = (text: string): string[] => LEAKS.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);

describe('typed errors in production mode say what happened, and nothing of EM\'s addresses', () => {
  let sim: RunningSimulator;
  let gateway: TestGateway;
  let dataDir: string;
  const logLines: Array<Record<string, unknown>> = [];
  let pool: ReplicaPool;
  let adminToken: string;
  let vmOnlyToken: string;
  /** Every error answered, by code, with its request's x-request-id. */
  const seen = new Map<string, { error: Record<string, unknown>; header: string | null }>();

  const token = (subject: string) =>
    new SignJWT({ groups: [] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SECRET));

  async function failover(bearer: string, input: Record<string, unknown>, idempotencyKey?: string) {
    const { json, headers } = await postGraphQL(gateway.url, { query: MUTATION, variables: { input, idempotencyKey } }, { authorization: `Bearer ${bearer}` });
    expect(json.errors ?? []).toEqual([]);
    const payload = json.data.failover as Record<string, unknown>;
    if (typeof payload.code === 'string') seen.set(payload.code, { error: payload, header: headers.get('x-request-id') });
    return payload;
  }

  beforeAll(async () => {
    // The gateway's EM account is a Restore Operator: EM refuses its CDP failovers (403), as a real EM would.
    sim = await startSimulator({
      port: 0,
      seed: 42,
      size: 120,
      // CDP history ends now, as the embedded simulator's does (its default is a fixed moment in the past).
      referenceTime: new Date(),
      failoverDurationMs: 300,
      failoverCollectMs: 30,
      accounts: [{ username: 'gateway-operator', password: 'gateway-operator', role: 'RestoreOperator' }],
    });
    dataDir = mkdtempSync(join(tmpdir(), 'fg-test-'));
    const config = loadConfig({
      env: {
        NODE_ENV: 'production',
        AUDIT_SIGNING_KEY_FILE: auditSigningKeyFile(),
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        EM_URL: sim.url,
        VBR_SERVERS: vbrServersFile(sim),
        EM_USERNAME: 'gateway-operator',
        EM_PASSWORD: 'gateway-operator',
        EM_TIMEOUT_MS: '2000',
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        JWT_SECRET: SECRET,
        BOOTSTRAP_ADMINS: 'user:admin',
        INVENTORY_SYNC_MINUTES: '10080',
        FAILOVER_POLL_MS: '100',
        LOG_LEVEL: 'info',
      },
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const running: RunningGateway = await startGateway({ config, logger: createLogger({ level: 'info', format: 'json' }, sink) });
    gateway = { ...running, config, origin: new URL(running.url).origin };
    await gateway.services.inventory.syncNow();
    pool = await ReplicaPool.of(gateway);
    adminToken = await token('admin');
    const created = await postGraphQL(
      gateway.url,
      {
        query: `mutation { createAccount(input: { type: USER, name: "vm-only", roles: [RESTORE_OPERATOR], scope: { allObjects: true }, allowedKinds: [VM_REPLICA] }) { id } }`,
      },
      { authorization: `Bearer ${adminToken}` },
    );
    expect(created.json.errors ?? []).toEqual([]);
    vmOnlyToken = await token('vm-only');
  });

  afterAll(async () => {
    await gateway?.stop();
    await sim?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs in production mode against an EM at an address and port', () => {
    expect(gateway.config.mode).toBe('production');
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
  });

  it('BAD_USER_INPUT, NOT_FOUND, FORBIDDEN, EDITION_NOT_SUPPORTED: decided before EM', async () => {
    expect(await failover(adminToken, { vmReplica: { restorePointId: 'not-a-global-id' } })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await failover(adminToken, { vmReplica: { restorePointId: encodeGlobalID('RestorePoint', randomUUID()) } })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failover(vmOnlyToken, failoverInput(pool.take('CDP_VM')))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failover(adminToken, failoverInput(pool.take('VM_REPLICA', { edition: 'gated' })))).toMatchObject({ code: 'EDITION_NOT_SUPPORTED' });
  });

  it('INVALID_RESTORE_TARGET from EM\'s CDP history, UPSTREAM_REJECTED from EM refusing the account', async () => {
    expect(await failover(adminToken, failoverInput(pool.take('CDP_VM'), { target: { pointInTime: '2000-01-01T00:00:00Z' } }))).toMatchObject({ code: 'INVALID_RESTORE_TARGET' });
    // A CDP VM with a crash-consistent state (the dry run passes every check), which EM then refuses to this account.
    let cdp = pool.take('CDP_VM');
    for (let tries = 0; (await failover(adminToken, failoverInput(cdp, { dryRun: true }))).__typename !== 'FailoverDryRun'; tries += 1) {
      if (tries === 10) throw new Error('no CDP VM with a restorable state in the inventory');
      cdp = pool.take('CDP_VM');
    }
    expect(await failover(adminToken, failoverInput(cdp))).toMatchObject({ code: 'UPSTREAM_REJECTED' });
  });

  it('UPSTREAM_UNAVAILABLE when EM answers 503 to the fresh reads, and to the failover POST', async () => {
    sim.faults = { target: 'reads', errorRate: 1, errorStatus: 503 };
    try {
      expect(await failover(adminToken, failoverInput(pool.take('VM_REPLICA')))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      sim.faults = {};
    }
    const readFailure = seen.get('UPSTREAM_UNAVAILABLE')!;
    sim.faults = { target: 'failover', errorCount: 1, errorStatus: 503 };
    try {
      expect(await failover(adminToken, failoverInput(pool.take('VM_REPLICA')))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      sim.faults = {};
    }
    // Both answers are checked below; keep the first under its own name.
    seen.set('UPSTREAM_UNAVAILABLE (read)', readFailure);
  });

  it('IDEMPOTENCY_KEY_REUSED, FAILOVER_IN_PROGRESS while a failover runs, REPLICA_NOT_READY after it', async () => {
    const replica: FailoverReplica = pool.take('VM_REPLICA');
    const key = randomUUID();
    sim.timings = { durationMs: 3_000, collectMs: 100 };
    try {
      const started = await failover(adminToken, failoverInput(replica, { reason: 'first' }), key);
      expect(started).toMatchObject({ __typename: 'FailoverStarted' });
      expect(await failover(adminToken, failoverInput(replica, { reason: 'second' }), key)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await failover(adminToken, failoverInput(replica), randomUUID())).toMatchObject({ code: 'FAILOVER_IN_PROGRESS' });
    } finally {
      sim.timings = { durationMs: 300, collectMs: 30 };
    }
    await eventually(async () => ((await gateway.services.db.prisma.activeFailover.count({ where: { replicaId: replica.id } })) === 0 ? true : undefined), 20_000, 'the failover ended');
    expect(await failover(adminToken, failoverInput(replica))).toMatchObject({ code: 'REPLICA_NOT_READY' });
  });

  it('a lost answer: the operation\'s message does not name EM\'s address either', async () => {
    sim.faults = { target: 'failover', failoverResponse: 'drop' };
    try {
      const started = await failover(adminToken, failoverInput(pool.take('VM_REPLICA')));
      expect(started).toMatchObject({ __typename: 'FailoverStarted', operation: { state: 'OUTCOME_UNKNOWN' } });
      const message = (started.operation as { message: string }).message;
      expect(message).toMatch(/may have started/);
      expect(leaksIn(message)).toEqual([]);
    } finally {
      sim.faults = {};
    }
  });

  it('every error code was produced, and no message or field names a URL, an IP address, a port or a path', () => {
    expect([...seen.keys()].filter((code) => !code.includes(' ')).sort()).toEqual(
      [
        'BAD_USER_INPUT',
        'EDITION_NOT_SUPPORTED',
        'FAILOVER_IN_PROGRESS',
        'FORBIDDEN',
        'IDEMPOTENCY_KEY_REUSED',
        'INVALID_RESTORE_TARGET',
        'NOT_FOUND',
        'REPLICA_NOT_READY',
        'UPSTREAM_REJECTED',
        'UPSTREAM_UNAVAILABLE',
      ].sort(),
    );
    for (const [code, { error }] of seen) {
      const texts = Object.values(error).filter((value): value is string => typeof value === 'string');
      for (const text of texts) expect(leaksIn(text), `${code}: ${text}`).toEqual([]);
    }
  });

  it('each error carries its request id, and that request\'s log lines hold the detail EM gave', () => {
    for (const [code, { error, header }] of seen) {
      expect(header, code).toMatch(/\S/);
      expect(error.requestId, code).toBe(header);
    }
    const { requestId } = seen.get('UPSTREAM_UNAVAILABLE (read)')!.error as { requestId: string };
    const detail = logLines.filter((line) => line.requestId === requestId && JSON.stringify(line).includes(sim.url));
    expect(detail.length).toBeGreaterThan(0);
  });
});
