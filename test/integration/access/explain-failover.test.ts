import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalRole, ReplicaKind } from '../../../src/policy/index.js';
import { GraphQLClients, startAccessGateway, tokenSigner } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';
import { FAILOVER_KINDS, failoverInput, isCdp, payloadOf, readFailoverReplicas, runFailover, type FailoverReplica } from '../failover/support.js';

/**
 * `explain(action: FAILOVER)` against the mutation itself: for random
 * accounts and every kind of id the failover mutation accepts (restore points
 * of VM and vApp replicas, CDP VM and vApp replicas), explain names the
 * decision and the rule that a dry run of that failover, by a caller holding
 * just that account, is audited with.
 */
let gateway: TestGateway;
let clients: GraphQLClients;
let signer: ReturnType<typeof tokenSigner>;
let objects: FailoverReplica[];
let refPool: string[];

beforeAll(async () => {
  gateway = await startAccessGateway();
  clients = new GraphQLClients(gateway);
  signer = tokenSigner(gateway);
  // Ready replicas, and those no source gives a state (CDP, Cloud Director): the fresh look lets their dry run through, so the policy alone decides it.
  objects = (await readFailoverReplicas(gateway)).filter((replica) => (replica.state === 'Ready' || replica.state === null) && replica.objectRef !== null && (isCdp(replica.kind) || replica.point));
  refPool = [...new Set(objects.flatMap((replica) => replica.refs))].sort();
}, 120_000);

afterAll(async () => {
  await clients?.close();
  await gateway?.stop();
});

const ROLES: PortalRole[] = ['PORTAL_ADMINISTRATOR', 'PORTAL_USER', 'RESTORE_OPERATOR'];

/** The id the mutation takes for this replica, as explain's object. */
const objectId = (replica: FailoverReplica) => (isCdp(replica.kind) ? replica.globalId : replica.point!.globalId);

describe('explain(FAILOVER) equals the dry run of the failover', () => {
  it('for random accounts and objects: same decision, same rule', { timeout: 300_000 }, async () => {
    expect(new Set(objects.map((replica) => replica.kind))).toEqual(new Set(FAILOVER_KINDS));
    const admin = await signer.sign({ subject: 'admin', groups: [] });
    let run = 0;
    const decided = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          type: fc.constantFrom<'USER' | 'GROUP'>('USER', 'GROUP'),
          roles: fc.subarray(ROLES),
          scopeAll: fc.boolean(),
          scope: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
          allowedKinds: fc.subarray<ReplicaKind>([...FAILOVER_KINDS]),
          picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        }),
        async (a) => {
          const name = `explain-${++run}`;
          const scope = a.scopeAll ? { all: true as const } : { all: false as const, items: a.scope.map((n) => ({ ref: refPool[n % refPool.length]!, name: 'x' })) };
          const account = await gateway.services.accounts.create({ type: a.type, name, roles: a.roles, scope, allowedKinds: a.allowedKinds });
          try {
            // The caller holds this account only: the user itself, or a member of the group.
            const subject = a.type === 'USER' ? name : `member-of-${name}`;
            const token = await signer.sign({ subject, groups: a.type === 'GROUP' ? [name] : [] });
            for (const pick of a.picks) {
              const replica = objects[pick % objects.length]!;
              const label = `${a.type} ${JSON.stringify(a)} on ${replica.kind} ${replica.name} (${replica.edition})`;
              const explained = await clients.run(
                'http',
                admin,
                `{ explain(account: "${encodeGlobalID('Account', account.id)}", action: FAILOVER, object: "${objectId(replica)}") { allowed rule } }`,
              );
              expect(explained.errors, label).toBeUndefined();
              payloadOf(await runFailover(clients, 'http', token, failoverInput(replica, { dryRun: true })));
              const entry = await gateway.services.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'failover', actorSubject: subject }, orderBy: { seq: 'desc' } });
              decided.add(entry.rule ?? '');
              expect({ allowed: explained.data.explain.allowed, rule: explained.data.explain.rule }, label).toEqual({ allowed: entry.decision === 'ALLOW', rule: entry.rule });
            }
          } finally {
            await gateway.services.db.prisma.account.delete({ where: { id: account.id } });
          }
        },
      ),
      { numRuns: 40 },
    );
    // The runs met allowed and refused failovers, by scope and by edition.
    for (const rule of ['default.deny', 'edition.below-enterprise']) expect(decided).toContain(rule);
    expect([...decided].some((rule) => rule.endsWith('.failover'))).toBe(true);
  });
});
