import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, type Client } from 'graphql-ws';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { createDevSigner, resolveAuthOptions, type TokenIdentity } from '../../src/auth/index.js';
import type { AccountInput } from '../../src/accounts/index.js';
import { postGraphQL, startTestGateway, type TestGateway } from './gateway.js';

/**
 * Helpers for the access-layer integration tests: a gateway with its demo
 * inventory and accounts in place, tokens for any identity, one call that runs
 * an operation over HTTP or graphql-ws, and an oracle of the inventory read
 * straight from the database.
 */

export type Transport = 'http' | 'ws';
export const TRANSPORTS: readonly Transport[] = ['http', 'ws'];

export interface GqlError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GqlResult {
  data?: any;
  errors?: GqlError[];
  /** HTTP status (HTTP only). */
  status?: number;
}

/** A test gateway after its first inventory sync, with the demo accounts seeded. */
export async function startAccessGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  // No scheduled sync during the tests: the inventory stays what the oracle read.
  const gateway = await startTestGateway({ INVENTORY_SYNC_MINUTES: '10080', ...env });
  try {
    // Joins the sync started at boot (or runs one); demo accounts are seeded at its end.
    await gateway.services.inventory.syncNow();
    const demo = await gateway.services.db.prisma.account.count({ where: { type: 'USER', name: { in: ['admin', 'operator', 'portal-user'] } } });
    if (demo !== 3) throw new Error(`expected the three demo accounts after the first sync, found ${demo}`);
  } catch (error) {
    await gateway.stop();
    throw error;
  }
  return gateway;
}

/** Signs tokens the gateway accepts (its development secret), for any identity and lifetime. */
export function tokenSigner(gateway: TestGateway) {
  const auth = resolveAuthOptions(gateway.config);
  const signer = createDevSigner({ mode: gateway.config.mode, auth });
  return {
    sign: (identity: TokenIdentity, ttlSeconds?: number) => signer.sign(identity, ttlSeconds),
    /** A token with the gateway's issuer and audience and the given changes, for refusal tests. */
    async custom(options: { secret?: Uint8Array; issuer?: string; audience?: string; expiresAt?: number; subject?: string; groups?: unknown }) {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ groups: options.groups ?? [] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(options.issuer ?? auth.issuer)
        .setAudience(options.audience ?? auth.audience)
        .setSubject(options.subject ?? 'admin')
        .setIssuedAt(now - 7200)
        .setExpirationTime(options.expiresAt ?? now + 600);
      if (auth.key.kind !== 'secret') throw new Error('test gateway must use a shared secret');
      return jwt.sign(options.secret ?? auth.key.secret);
    },
  };
}

/** Runs operations over HTTP or graphql-ws with a given token; WebSocket clients are kept per token. */
export class GraphQLClients {
  readonly #ws = new Map<string, Client>();
  constructor(private readonly gateway: TestGateway) {}

  get wsUrl(): string {
    return this.gateway.url.replace(/^http/, 'ws');
  }

  async run(transport: Transport, token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResult> {
    if (transport === 'http') {
      const { status, json } = await postGraphQL(this.gateway.url, { query, variables }, token === null ? {} : { authorization: `Bearer ${token}` });
      return { data: json.data, errors: json.errors, status };
    }
    return wsOnce(this.client(token), query, variables);
  }

  client(token: string | null): Client {
    const key = token ?? '';
    let client = this.#ws.get(key);
    if (!client) {
      client = createClient({
        url: this.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: true,
        // Keep the socket between operations.
        lazyCloseTimeout: 60_000,
      });
      this.#ws.set(key, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#ws.values()].map((client) => client.dispose()));
    this.#ws.clear();
  }
}

/** One operation over graphql-ws; operation-level `error` messages become `errors`, a closed socket rejects. */
export function wsOnce(client: Client, query: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  return new Promise((resolve, reject) => {
    let result: GqlResult | undefined;
    client.subscribe(
      { query, variables },
      {
        next: (value) => {
          result = { data: value.data ?? undefined, errors: value.errors as GqlError[] | undefined };
        },
        error: (error) => {
          if (Array.isArray(error)) resolve({ errors: error as GqlError[] });
          else reject(error instanceof Error ? error : Object.assign(new Error(`socket closed: ${(error as { code?: number }).code}`), { event: error }));
        },
        complete: () => resolve(result ?? {}),
      },
    );
  });
}

/**
 * A bare graphql-transport-ws socket (the `ws` package, no client library in
 * between): sends connection_init with `connectionParams`, lets `onOpen` run
 * operations once acknowledged, and resolves with the close code and whether
 * the server acknowledged the connection.
 */
export function wsCloseCode(
  url: string,
  connectionParams: Record<string, unknown>,
  onOpen?: (socket: RawSocket) => Promise<void>,
): Promise<{ code: number; opened: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    let opened = false;
    let next = 0;
    const pending = new Map<string, (result: GqlResult) => void>();
    const raw: RawSocket = {
      request(query) {
        const id = String((next += 1));
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
        return new Promise((done) => pending.set(id, done));
      },
      close: () => socket.close(1000, 'done'),
    };
    const results = new Map<string, GqlResult>();
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: string; payload?: any };
      if (message.type === 'connection_ack') {
        opened = true;
        onOpen?.(raw).catch(reject);
      } else if (message.type === 'next') {
        results.set(message.id!, { data: message.payload.data ?? undefined, errors: message.payload.errors });
      } else if (message.type === 'error') {
        pending.get(message.id!)?.({ errors: message.payload });
      } else if (message.type === 'complete') {
        pending.get(message.id!)?.(results.get(message.id!) ?? {});
      }
    });
    socket.on('error', reject);
    socket.on('close', (code) => resolve({ code, opened }));
  });
}

export interface RawSocket {
  /** One query or mutation on the socket. */
  request(query: string): Promise<GqlResult>;
  close(): void;
}

// ---------------------------------------------------------------------------------------------
// The oracle: the inventory as the database holds it, and visibility computed by hand.

export interface OracleReplica {
  id: string;
  globalId: string;
  kind: string;
  typename: string;
  name: string;
  state: string | null;
  backupServerId: string;
  refs: string[];
  restorePointIds: string[];
  cdpRanges: number;
  cdpLongTermPoints: number;
}

export interface OracleServer {
  id: string;
  globalId: string;
  name: string;
  edition: string;
}

export const TYPENAMES: Record<string, string> = {
  VM_REPLICA: 'VmReplica',
  CDP_VM: 'CdpVmReplica',
  VCD_VAPP_REPLICA: 'VcdVAppReplica',
  VCD_CDP_VAPP: 'VcdCdpVAppReplica',
};
export const KINDS = Object.keys(TYPENAMES);

export interface Inventory {
  replicas: OracleReplica[];
  servers: OracleServer[];
  /** Every restore point: its global id and its replica's id. */
  restorePoints: Array<{ globalId: string; replicaId: string }>;
  /** Container type (the `<Type>` of urn:<Platform>:<Type>:…) → its refs, each with the replicas carrying it. */
  refsByType: Map<string, Map<string, string[]>>;
}

/** Byte order, as PostgreSQL's C collation (the embedded database) sorts. */
export const byNameThenId = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export async function readInventory(gateway: TestGateway): Promise<Inventory> {
  const prisma = gateway.services.db.prisma;
  const [rows, servers, points, ranges, longTerm] = await Promise.all([
    prisma.replica.findMany({ select: { id: true, kind: true, name: true, state: true, backupServerId: true, refs: true } }),
    prisma.backupServer.findMany({ select: { id: true, name: true, edition: true } }),
    prisma.restorePoint.findMany({ select: { id: true, replicaId: true } }),
    prisma.cdpRange.groupBy({ by: ['replicaId'], _count: { _all: true } }),
    prisma.cdpLongTermPoint.groupBy({ by: ['replicaId'], _count: { _all: true } }),
  ]);
  const rangeCount = new Map(ranges.map((row) => [row.replicaId, row._count._all]));
  const longCount = new Map(longTerm.map((row) => [row.replicaId, row._count._all]));
  const replicas = rows
    .map((row) => ({
      ...row,
      typename: TYPENAMES[row.kind]!,
      globalId: encodeGlobalID(TYPENAMES[row.kind]!, row.id),
      restorePointIds: points.filter((point) => point.replicaId === row.id).map((point) => encodeGlobalID('RestorePoint', point.id)),
      cdpRanges: rangeCount.get(row.id) ?? 0,
      cdpLongTermPoints: longCount.get(row.id) ?? 0,
    }))
    .sort(byNameThenId);
  const refsByType = new Map<string, Map<string, string[]>>();
  for (const replica of replicas) {
    for (const ref of replica.refs) {
      const type = ref.split(':')[2]!;
      const refs = refsByType.get(type) ?? new Map<string, string[]>();
      refs.set(ref, [...(refs.get(ref) ?? []), replica.id]);
      refsByType.set(type, refs);
    }
  }
  return {
    replicas,
    servers: servers.map((server) => ({ ...server, globalId: encodeGlobalID('BackupServer', server.id) })).sort(byNameThenId),
    restorePoints: points.map((point) => ({ globalId: encodeGlobalID('RestorePoint', point.id), replicaId: point.replicaId })),
    refsByType,
  };
}

/** An account as the oracle reads it. */
export interface OracleAccount {
  type: 'USER' | 'GROUP';
  name: string;
  roles: string[];
  scope: 'all' | readonly string[];
  allowedKinds?: readonly string[];
}

export interface Expected {
  scopeAll: boolean;
  roles: string[];
  /** Refs of the restricted accounts with a listed scope (empty when scopeAll). */
  scopeRefs: string[];
  allowedKinds: string[];
  replicas: OracleReplica[];
  servers: OracleServer[];
}

const ROLE_ORDER = ['PORTAL_ADMINISTRATOR', 'RESTORE_OPERATOR', 'PORTAL_USER'];

/**
 * What a principal may see, by hand: its accounts are the USER account named
 * like the subject and the GROUP accounts named like its groups; accounts
 * without a role grant nothing; an administrator or an "all objects" scope
 * sees everything; otherwise a replica is visible iff one of its refs is in
 * some account's scope, and a backup server iff it holds a visible replica.
 */
export function expectedFor(inventory: Inventory, accounts: readonly OracleAccount[], identity: TokenIdentity): Expected {
  const mine = accounts.filter((account) => (account.type === 'USER' ? account.name === identity.subject : identity.groups.includes(account.name)));
  const withRole = mine.filter((account) => account.roles.length > 0);
  const admin = withRole.some((account) => account.roles.includes('PORTAL_ADMINISTRATOR'));
  const scopeAll = admin || withRole.some((account) => account.scope === 'all');
  const listed = withRole.filter((account) => !account.roles.includes('PORTAL_ADMINISTRATOR') && account.scope !== 'all');
  const refs = new Set(listed.flatMap((account) => account.scope as readonly string[]));
  const replicas = scopeAll ? inventory.replicas : inventory.replicas.filter((replica) => replica.refs.some((ref) => refs.has(ref)));
  const serverIds = new Set(replicas.map((replica) => replica.backupServerId));
  return {
    scopeAll,
    roles: ROLE_ORDER.filter((role) => withRole.some((account) => account.roles.includes(role))),
    scopeRefs: scopeAll ? [] : [...refs].sort(),
    allowedKinds: KINDS.filter((kind) => withRole.some((account) => (account.allowedKinds ?? KINDS).includes(kind))),
    replicas,
    servers: scopeAll ? inventory.servers : inventory.servers.filter((server) => serverIds.has(server.id)),
  };
}

/** The accounts in the database, as the oracle reads them. */
export async function readAccounts(gateway: TestGateway): Promise<OracleAccount[]> {
  const rows = await gateway.services.db.prisma.account.findMany({ include: { scopeItems: true } });
  return rows.map((row) => ({
    type: row.type,
    name: row.name,
    roles: row.roles,
    scope: row.scopeAll ? 'all' : row.scopeItems.map((item) => item.ref),
    allowedKinds: row.allowedKinds,
  }));
}

/** Creates an account through the account service (validated, visibility rebuilt). */
export async function createAccount(gateway: TestGateway, account: OracleAccount): Promise<string> {
  const input: AccountInput = {
    type: account.type,
    name: account.name,
    roles: account.roles as AccountInput['roles'],
    scope: account.scope === 'all' ? { all: true } : { all: false, items: account.scope.map((ref) => ({ ref, name: ref.split(':')[2]! })) },
    allowedKinds: account.allowedKinds as AccountInput['allowedKinds'],
  };
  return (await gateway.services.accounts.create(input)).id;
}

/** Splits a list into chunks (the gateway allows 30 aliases per operation by default). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** `node(id:)` for many ids in aliased batches; returns the raw node values in order. */
export async function nodes(
  run: (query: string, variables: Record<string, unknown>) => Promise<GqlResult>,
  ids: readonly string[],
  selection = '__typename id',
  batchSize = 25,
): Promise<{ values: unknown[]; errors: GqlError[] }> {
  const values: unknown[] = [];
  const errors: GqlError[] = [];
  for (const batch of chunks(ids, batchSize)) {
    const vars = batch.map((_, i) => `$i${i}: ID!`).join(', ');
    const fields = batch.map((_, i) => `n${i}: node(id: $i${i}) { ${selection} }`).join('\n');
    const result = await run(`query Nodes(${vars}) { ${fields} }`, Object.fromEntries(batch.map((id, i) => [`i${i}`, id])));
    errors.push(...(result.errors ?? []));
    batch.forEach((_, i) => values.push(result.data?.[`n${i}`]));
  }
  return { values, errors };
}
