/**
 * Where the milliseconds of one scoped `replicas(first: 50)` go (issue 16).
 *
 * Runs the gateway's own Yoga in this process on a database the scoped-reads
 * bench left behind (SCOPED_BENCH_KEEP_DB=1), and times each stage alone, the
 * median of many sequential repetitions each:
 *
 *   end to end over HTTP        fetch → node:http → Yoga → … → response text
 *   Yoga without the socket      yoga.fetch(Request) → response text
 *   token verification          the verifier (it remembers verified tokens for a minute)
 *   policy load                 what `caller()` costs: through the policy cache when the build has one
 *   each SQL statement          through Prisma (as the resolvers send them) and the same text through a plain pg client
 *   GraphQL execution           graphql-js `execute` with the caller and the rows already in memory
 *   serialization               JSON.stringify of the result
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> JWT_SECRET=x npx tsx bench/scoped-reads-profile.ts [subject] [repetitions]
 *
 * The subject defaults to bench-operator (the bench's Restore Operator). Pass
 * READ_CACHE=off to measure the uncached path alone.
 */
import { performance } from 'node:perf_hooks';
import { execute, parse, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import pg from 'pg';
import pino from 'pino';
import { createTokenVerifier, resolveAuthOptions } from '../src/auth/index.js';
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/index.js';
import { statementName } from '../src/db/prepared.js';
import type { GatewayContext, GatewayServices } from '../src/graphql/context.js';
import { getSchema } from '../src/graphql/schema.js';
import { withPolicyExtension } from '../src/policy/index.js';
import { createHttpServer } from '../src/server/http-server.js';
import { createMetrics } from '../src/server/metrics.js';
import { createReadCache } from '../src/server/plugins/read-cache.js';
import { createGatewayYoga } from '../src/server/yoga.js';
import { minter } from './gateway-client.js';
import { median } from './harness.js';
import { REPLICAS_QUERY } from './scoped-reads.bench.js';

const url = process.env.DATABASE_URL;
const secret = process.env.JWT_SECRET;
if (!url || !secret) throw new Error('DATABASE_URL and JWT_SECRET are required');
const subject = process.argv[2] ?? 'bench-operator';
const repetitions = Number(process.argv[3] ?? 300);

async function timed(label: string, fn: () => Promise<unknown>, n = repetitions): Promise<{ label: string; ms: number }> {
  for (let i = 0; i < Math.min(50, n); i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return { label, ms: median(times) };
}

const config = loadConfig({ env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', DATABASE_URL: url, JWT_SECRET: secret, PORT: '0' } });
const logger = pino({ level: 'warn' });
const db = await openDatabase({ databaseUrl: url, logger });
const tokens = createTokenVerifier(resolveAuthOptions(config));
const captured: Array<{ query: string; params: unknown[] }> = [];
let capturing = false;
const prisma = withPolicyExtension(db.prisma);
const metrics = createMetrics({ processMetrics: false });
// The gateway's read caches, as it builds them: with REDIS_URL the caller's policy is cached per generation.
const readCache = await createReadCache({ config, database: db.kind, prisma: db.prisma, metrics, instanceId: 'profile', logger });
const services = { config, db, prisma, tokens, readCache, instanceId: 'profile', version: 'profile', startedAt: new Date() } as unknown as GatewayServices;
const yoga = createGatewayYoga({ services, logger, metrics, readiness: async () => ({ ready: true }) as never });
const http = createHttpServer(yoga);
const address = await http.listen('127.0.0.1', 0);
const endpoint = `http://127.0.0.1:${address.port}/graphql`;
const token = await minter(secret)(subject);
const body = JSON.stringify({ query: REPLICAS_QUERY });
// What node:http hands Yoga, for requests that skip the socket.
const serverContext = { req: { socket: { remoteAddress: '127.0.0.1' }, headers: {} } } as never;
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

const client = new pg.Client({ connectionString: url });
await client.connect();
// Capture the SQL of one operation through PostgreSQL's own view of this client's pool.
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (capturing && this !== client) {
    const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
    const text = typeof first === 'string' ? first : first.text;
    const values = typeof first === 'string' ? second : first.values;
    captured.push({ query: text, params: values ?? [] });
  }
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

const stages: Array<{ label: string; ms: number }> = [];
stages.push(await timed('end to end over HTTP (client fetch to response text)', async () => {
  const response = await fetch(endpoint, { method: 'POST', headers, body });
  const text = await response.text();
  if (!response.ok || text.includes('"errors"')) throw new Error(text.slice(0, 300));
}));
stages.push(await timed('Yoga without the socket (yoga.fetch)', async () => {
  const response = await yoga.fetch(endpoint, { method: 'POST', headers, body }, serverContext);
  await response.text();
}));
stages.push(await timed('token verification (remembered token)', () => tokens.verify(token)));

const { loadCaller } = await import('../src/graphql/caller.js');
const principal = await tokens.verify(token);
stages.push(await timed('policy load from the database (accounts + gated servers, rules, ability)', () => loadCaller(db.prisma, principal)));
if (readCache.generations) {
  const generations = readCache.generations;
  stages.push(await timed('policy through the read cache (generations from Redis, then the policy cache)', async () => readCache.caller(principal, await generations.read())));
}

// The statements of one operation, captured at the driver.
capturing = true;
await (await yoga.fetch(endpoint, { method: 'POST', headers, body }, serverContext)).text();
capturing = false;
const statements = captured.splice(0);
for (const [index, statement] of statements.entries()) {
  const short = statement.query.replace(/\s+/g, ' ').slice(0, 70);
  // Named as the gateway's adapter names it (src/db/prepared.ts), so a prepared statement is timed prepared.
  const name = statementName(statement.query);
  stages.push(await timed(`SQL ${index + 1}, plain pg round trip${name ? ' (prepared)' : ''}: ${short}…`, () => client.query({ name, text: statement.query, values: statement.params as unknown[] })));
}

// The same statements as the resolvers send them through Prisma (query compiler, adapter, result mapping).
const prismaCaller = await loadCaller(db.prisma, principal);
const { replicaSelect } = await import('../src/graphql/replica-columns.js');
const operation = parse(REPLICAS_QUERY).definitions[0] as OperationDefinitionNode;
const select = replicaSelect({ fieldNodes: [operation.selectionSet.selections[0]], fragments: {} } as unknown as GraphQLResolveInfo);
const { replicaAccess, replicaPage } = await import('../src/graphql/replica-page.js');
const { replicaFilter } = await import('../src/graphql/replica-filter.js');
const { BACKUP_SERVER_COLUMNS, backupServersById } = await import('../src/graphql/backup-server-columns.js');
const { pageWindow } = await import('../src/graphql/pagination.js');
stages.push(await timed('Prisma: the page and its backup servers (as the resolvers send them)', async () => {
  const access = replicaAccess(prismaCaller.policy.ability);
  const page = await replicaPage(prisma, { access, filter: replicaFilter(), window: pageWindow({ first: 50 }, 2), select });
  // The page reads its servers itself when the document asks for them; otherwise the loader's statement would.
  if (page.some((row) => !row.backupServer)) await backupServersById(prisma, [...new Set(page.map((row) => row.backupServerId))]);
}));

// GraphQL execution with everything the resolvers need already loaded: the
// database answers replaced by their rows, so only graphql-js and the resolvers' own code count.
const schema = getSchema();
const document = parse(REPLICAS_QUERY);
const caller = await loadCaller(db.prisma, principal);
// Each row with its server, as the page reads them (replica-page.ts).
const rows = await db.prisma.replica.findMany({ take: 51, orderBy: [{ name: 'asc' }, { id: 'asc' }], include: { backupServer: { select: BACKUP_SERVER_COLUMNS } } });
const servers = await db.prisma.backupServer.findMany({ select: BACKUP_SERVER_COLUMNS });
// As the visibility walk's statement returns them: the server's columns joined in, under their prefixed names
// (built once: the page copies each row as it nests its server, and leaves these as they are).
const joined = rows.map(({ backupServer, ...row }) => ({ ...row, ...Object.fromEntries(Object.entries(backupServer).map(([column, value]) => [`backupServer.${column}`, value])) }));
const memoryPrisma = {
  // The visibility walk's one statement, and the loader's servers for replicas read elsewhere (backup-server-columns.ts).
  $queryRaw: async (query: { strings?: readonly string[] }) =>
    query.strings?.join('').includes('replica_visibility') ? joined : servers,
  // The name walk (an administrator's page).
  replica: { findMany: async () => rows, count: async () => rows.length },
};
const memoryContext = (): GatewayContext =>
  ({
    requestId: 'profile',
    transport: 'http',
    services: { ...services, prisma: memoryPrisma },
    client: { address: null, userAgent: null },
    idempotencyKeyHeader: null,
    principal: async () => principal,
    caller: async () => caller,
    log: logger,
  }) as unknown as GatewayContext;
let result: unknown;
stages.push(await timed('GraphQL execution (rows in memory)', async () => {
  result = await execute({ schema, document, contextValue: memoryContext() });
}));
if ((result as { errors?: unknown }).errors) throw new Error(`the in-memory execution failed: ${JSON.stringify((result as { errors: unknown }).errors)}`);
stages.push(await timed('serialization (JSON.stringify of the result)', async () => JSON.stringify(result)));

console.log(`\n${subject}: ${statements.length} SQL statements per operation, median of ${repetitions} sequential repetitions each\n`);
console.log('| stage | ms |\n|---|---|');
for (const stage of stages) console.log(`| ${stage.label} | ${stage.ms.toFixed(3)} |`);
for (const [index, statement] of statements.entries()) console.log(`\n-- SQL ${index + 1}\n${statement.query}`);

pg.Client.prototype.query = originalQuery;
await client.end();
await http.close(1000);
await yoga.dispose();
await readCache.close();
await db.close();
