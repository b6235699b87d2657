import { z } from 'zod';
import { STATED_EDITIONS } from './vbr-servers.js';

/**
 * Every setting the gateway reads, in one table: the environment variable, the
 * validator, what is allowed (for the one-line error) and what it does (for
 * `serve --help` and the README). Keys are the names used in a config file.
 */
export interface SettingSpec<T extends z.ZodType = z.ZodType> {
  env: string;
  schema: T;
  /** Shown when the value is rejected: "expected <allowed>". */
  allowed: string;
  /** One line for `--help` and docs; ends with the default. */
  doc: string;
  /** Hide the value in logs and errors (passwords, secrets). */
  secret?: boolean;
}

const bool = z.preprocess((value) => {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  return value;
}, z.boolean());

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalText = z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional());

function setting<T extends z.ZodType>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

export const settings = {
  mode: setting({
    env: 'NODE_ENV',
    schema: z.enum(['development', 'production', 'test']).default('development'),
    allowed: 'one of development, production, test',
    doc: 'Runtime mode. Production turns off GraphiQL and introspection, masks unexpected errors, and refuses to run the embedded EM simulator. Default: development.',
  }),
  host: setting({
    env: 'HOST',
    schema: z.string().min(1).default('127.0.0.1'),
    allowed: 'a host name or IP address',
    doc: 'Address to listen on. Default: 127.0.0.1.',
  }),
  port: setting({
    env: 'PORT',
    schema: int(0, 65535).default(4000),
    allowed: 'an integer from 0 to 65535 (0 picks a free port)',
    doc: 'Port for HTTP, Server-Sent Events and WebSocket. Default: 4000.',
  }),
  dataDir: setting({
    env: 'DATA_DIR',
    schema: z.string().min(1).default('.data'),
    allowed: 'a folder path',
    doc: 'Folder for the embedded PGlite database (used when DATABASE_URL is unset). Default: .data',
  }),
  databaseUrl: setting({
    env: 'DATABASE_URL',
    schema: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
        .optional(),
    ),
    allowed: 'a postgres:// or postgresql:// connection string',
    doc: 'PostgreSQL connection string. Unset: embedded PGlite in DATA_DIR. Default: unset.',
    secret: true,
  }),
  databasePreparedStatements: setting({
    env: 'DATABASE_PREPARED_STATEMENTS',
    schema: bool.default(true),
    allowed: 'true or false',
    doc:
      'PostgreSQL: send the failover admission path\'s statements as named prepared statements, planned once per connection. ' +
      'Set to false behind a pooler in transaction mode that does not keep prepared statements (PgBouncer before 1.21, or max_prepared_statements = 0). Default: true.',
  }),
  wasmTierUp: setting({
    env: 'WASM_TIER_UP',
    schema: bool.default(false),
    allowed: 'true or false',
    doc:
      'Let V8 recompile hot WebAssembly (Prisma\'s query compiler, the embedded PGlite) with its optimizing compiler. ' +
      'Off, it stays on the baseline compiler: some 50 MB less memory for the gateway and each inventory sync, at the same speed (docs/real-sources.md). Default: false.',
  }),
  migrateOnStart: setting({
    env: 'MIGRATE_ON_START',
    schema: bool.default(true),
    allowed: 'true or false',
    doc: 'Apply pending database migrations when the gateway starts. Default: true.',
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    allowed: 'one of fatal, error, warn, info, debug, trace, silent',
    doc: 'Minimum log level. Default: info.',
  }),
  logFormat: setting({
    env: 'LOG_FORMAT',
    schema: z.enum(['auto', 'json', 'pretty']).default('auto'),
    allowed: 'one of auto, json, pretty',
    doc: 'Log format; auto is pretty on a terminal and JSON lines otherwise. Default: auto.',
  }),
  graphiql: setting({
    env: 'GRAPHIQL',
    schema: bool.optional(),
    allowed: 'true or false',
    doc: 'Serve GraphiQL on GET /graphql from a browser. Default: on in development, off in production.',
  }),
  introspection: setting({
    env: 'INTROSPECTION',
    schema: bool.optional(),
    allowed: 'true or false',
    doc: 'Allow schema introspection. Default: on in development, off in production.',
  }),
  maskErrors: setting({
    env: 'MASK_ERRORS',
    schema: bool.optional(),
    allowed: 'true or false',
    doc: 'Replace unexpected error messages with "Unexpected error." in responses. Default: off in development, on otherwise.',
  }),
  csrfPrevention: setting({
    env: 'CSRF_PREVENTION',
    schema: bool.default(true),
    allowed: 'true or false',
    doc: 'Refuse requests a browser could send cross-site without a preflight (GET, form posts) unless they carry the x-graphql-csrf header. Default: true.',
  }),
  maxDepth: setting({
    env: 'MAX_DEPTH',
    schema: int(1, 1000).default(12),
    allowed: 'an integer from 1 to 1000',
    doc: 'Deepest selection an operation may have. Default: 12.',
  }),
  maxAliases: setting({
    env: 'MAX_ALIASES',
    schema: int(0, 10_000).default(30),
    allowed: 'an integer from 0 to 10000',
    doc: 'Most aliases in one operation. Default: 30.',
  }),
  maxTokens: setting({
    env: 'MAX_TOKENS',
    schema: int(10, 1_000_000).default(2000),
    allowed: 'an integer from 10 to 1000000',
    doc: 'Most lexical tokens in one document. Default: 2000.',
  }),
  maxCost: setting({
    env: 'MAX_COST',
    schema: int(1, 10_000_000).default(100_000),
    allowed: 'an integer from 1 to 10000000',
    doc: 'Highest estimated cost of one operation (graphql-armor cost limit: each level of nesting multiplies by 1.5, so a Relay list nested in a list costs tens of thousands). Default: 100000.',
  }),
  maxDirectives: setting({
    env: 'MAX_DIRECTIVES',
    schema: int(0, 10_000).default(50),
    allowed: 'an integer from 0 to 10000',
    doc: 'Most directives in one operation. Default: 50.',
  }),
  maxBodyBytes: setting({
    env: 'MAX_BODY_BYTES',
    schema: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
    allowed: 'an integer from 1024 to 104857600',
    doc: 'Largest request body (HTTP) or WebSocket message, in bytes. Default: 1048576 (1 MiB).',
  }),
  shutdownTimeoutMs: setting({
    env: 'SHUTDOWN_TIMEOUT_MS',
    schema: int(0, 600_000).default(10_000),
    allowed: 'an integer from 0 to 600000',
    doc: 'How long SIGTERM waits for in-flight requests before closing connections. Default: 10000.',
  }),
  metrics: setting({
    env: 'METRICS',
    schema: bool.default(true),
    allowed: 'true or false',
    doc: 'Serve Prometheus metrics at /metrics. Default: true.',
  }),
  console: setting({
    env: 'CONSOLE',
    schema: bool.default(true),
    allowed: 'true or false',
    doc: 'Serve the operator console (the web page built by npm install) at /. Default: true.',
  }),
  consoleOidcIssuer: setting({
    env: 'CONSOLE_OIDC_ISSUER',
    schema: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^https?$/ }).optional()),
    allowed: 'an http:// or https:// URL of an OpenID Connect issuer',
    doc: 'OpenID Connect issuer the console signs in through (authorization code with PKCE); its tokens must pass the JWT_* checks. Unset: no OpenID sign-in (development offers demo accounts). Default: unset.',
  }),
  consoleOidcClientId: setting({
    env: 'CONSOLE_OIDC_CLIENT_ID',
    schema: z.string().min(1).default('failover-console'),
    allowed: 'a non-empty client id',
    doc: 'Client id of the console at CONSOLE_OIDC_ISSUER (a public client: no secret; redirect URI <gateway>/auth/callback). Default: failover-console.',
  }),
  consoleOidcScope: setting({
    env: 'CONSOLE_OIDC_SCOPE',
    schema: z.string().regex(/^\S+( \S+)*$/).default('openid profile'),
    allowed: 'space-separated scope names',
    doc: 'Scopes the console asks CONSOLE_OIDC_ISSUER for. Default: openid profile.',
  }),
  emUrl: setting({
    env: 'EM_URL',
    schema: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^https?$/ }).optional()),
    allowed: 'an http:// or https:// URL of EM\'s REST API, e.g. https://em.example.com:9398/api',
    doc: 'Enterprise Manager REST API. Unset: an embedded EM simulator on a free loopback port (development and test only). Default: unset.',
  }),
  emUsername: setting({
    env: 'EM_USERNAME',
    schema: optionalText,
    allowed: 'a non-empty user name',
    doc: 'EM account the gateway logs on with. Default: em-admin with the embedded simulator; required with EM_URL.',
  }),
  emPassword: setting({
    env: 'EM_PASSWORD',
    schema: optionalText,
    allowed: 'a non-empty password',
    doc: 'Password of EM_USERNAME. Default: em-admin with the embedded simulator; required with EM_URL.',
    secret: true,
  }),
  emTimeoutMs: setting({
    env: 'EM_TIMEOUT_MS',
    schema: int(100, 600_000).default(10_000),
    allowed: 'an integer from 100 to 600000',
    doc: 'Timeout of each call to EM, in milliseconds. Default: 10000.',
  }),
  inventorySyncMinutes: setting({
    env: 'INVENTORY_SYNC_MINUTES',
    schema: int(1, 10_080).default(15),
    allowed: 'an integer from 1 to 10080',
    doc: 'Minutes between the end of one inventory sync from EM and the start of the next; one also runs at start. Default: 15.',
  }),
  inventorySyncHeapMb: setting({
    env: 'INVENTORY_SYNC_HEAP_MB',
    schema: int(0, 65_536).refine((n) => n === 0 || n >= 16).default(512),
    allowed: 'an integer from 0 to 65536 (0: no worker), at least 16 when not 0',
    doc:
      'With DATABASE_URL (PostgreSQL), the inventory sync runs in a worker thread whose JavaScript heap is limited to this many MB; ' +
      'a sync that needs more fails and is reported, and the gateway keeps serving. 0 runs it in the gateway\'s own thread. ' +
      'The embedded PGlite database always syncs in the gateway\'s thread. Default: 512 (a 100,000-replica sync with every source outgrows 128: see docs/real-sources.md, "Scale").',
  }),
  vbrServers: setting({
    env: 'VBR_SERVERS',
    schema: optionalText,
    allowed: 'the path of a JSON file',
    doc:
      'JSON file mapping each backup server (by EM\'s name or UID) to its own REST API: url, username, password or passwordFile, optional caFile, fingerprint, apiVersion and licenseEdition (see docs/real-sources.md). ' +
      'The gateway reads license edition, replica state and hierarchy there. Default: unset (EM only, degraded); with the embedded simulator, its VBR faces.',
  }),
  licenseEdition: setting({
    env: 'LICENSE_EDITION',
    schema: z.preprocess((value) => (value === '' ? undefined : value), z.enum(STATED_EDITIONS).optional()),
    allowed: `one of ${STATED_EDITIONS.join(', ')}`,
    doc: 'License edition of every backup server whose license the gateway cannot read from its REST API (EM pushes one license to all of them); a server\'s licenseEdition in VBR_SERVERS wins. Default: unset (unknown, and failover is refused).',
  }),
  simulatorSeed: setting({
    env: 'SIMULATOR_SEED',
    schema: int(0, 2 ** 31 - 1).default(42),
    allowed: 'an integer from 0 to 2147483647',
    doc: 'Seed of the embedded simulator\'s inventory. Default: 42.',
  }),
  simulatorReplicas: setting({
    env: 'SIMULATOR_REPLICAS',
    schema: int(4, 1_000_000).default(40),
    allowed: 'an integer from 4 to 1000000',
    doc: 'Number of replicas in the embedded simulator\'s inventory. Default: 40.',
  }),
  simulatorFailoverMs: setting({
    env: 'SIMULATOR_FAILOVER_MS',
    schema: int(0, 3_600_000).default(20_000),
    allowed: 'an integer from 0 to 3600000',
    doc: 'How long a failover takes in the embedded simulator, in milliseconds. Default: 20000.',
  }),
  jwtIssuer: setting({
    env: 'JWT_ISSUER',
    schema: optionalText,
    allowed: 'a non-empty issuer string (the tokens\' iss claim)',
    doc: 'Issuer every bearer token must name (iss). Default: failover-gateway-dev outside production; required in production.',
  }),
  jwtAudience: setting({
    env: 'JWT_AUDIENCE',
    schema: optionalText,
    allowed: 'a non-empty audience string (the tokens\' aud claim)',
    doc: 'Audience every bearer token must name (aud). Default: failover-gateway outside production; required in production.',
  }),
  jwtSecret: setting({
    env: 'JWT_SECRET',
    schema: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(32).optional()),
    allowed: 'a secret of at least 32 characters',
    doc: 'Shared secret of HS256/HS384/HS512 tokens; set this or JWT_JWKS_URL. Default: outside production, a secret generated once into DATA_DIR/dev-jwt-secret (used by the development signer); in production one of the two is required.',
    secret: true,
  }),
  jwtJwksUrl: setting({
    env: 'JWT_JWKS_URL',
    schema: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^https?$/ }).optional()),
    allowed: 'an http:// or https:// URL of a JSON Web Key Set',
    doc: 'JSON Web Key Set of the token issuer (keys are fetched and cached); set this or JWT_SECRET. Default: unset.',
  }),
  jwtAlgorithm: setting({
    env: 'JWT_ALGORITHM',
    schema: z.enum(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']).optional(),
    allowed: 'one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA',
    doc: 'The only signature algorithm accepted. Default: HS256 with a secret, RS256 with JWT_JWKS_URL.',
  }),
  jwtClockToleranceSeconds: setting({
    env: 'JWT_CLOCK_TOLERANCE_SECONDS',
    schema: int(0, 300).default(30),
    allowed: 'an integer from 0 to 300',
    doc: 'Clock skew allowed when checking a token\'s exp and nbf, in seconds. Default: 30.',
  }),
  jwtSubjectClaim: setting({
    env: 'JWT_SUBJECT_CLAIM',
    schema: z.string().min(1).default('sub'),
    allowed: 'a claim name',
    doc: 'Claim holding the user name matched against USER accounts. Default: sub.',
  }),
  jwtGroupsClaim: setting({
    env: 'JWT_GROUPS_CLAIM',
    schema: z.string().min(1).default('groups'),
    allowed: 'a claim name',
    doc: 'Claim holding the list of group names matched against GROUP accounts (missing: no groups). Default: groups.',
  }),
  failoverReasonRequired: setting({
    env: 'FAILOVER_REASON_REQUIRED',
    schema: bool.default(false),
    allowed: 'true or false',
    doc: 'Refuse a failover that gives no reason (BAD_USER_INPUT, audited). Default: false.',
  }),
  failoverReasonMaxLength: setting({
    env: 'FAILOVER_REASON_MAX_LENGTH',
    schema: int(1, 10_000).default(1_000),
    allowed: 'an integer from 1 to 10000',
    doc: 'Longest failover reason accepted, in characters. Default: 1000.',
  }),
  idempotencyKeyTtlHours: setting({
    env: 'IDEMPOTENCY_KEY_TTL_HOURS',
    schema: int(1, 8_760).default(24),
    allowed: 'an integer from 1 to 8760',
    doc: 'Hours an idempotency key keeps its failover operation; after that the key may be used again. Default: 24.',
  }),
  failoverPollMs: setting({
    env: 'FAILOVER_POLL_MS',
    schema: int(50, 60_000).default(1_000),
    allowed: 'an integer from 50 to 60000',
    doc: 'Base milliseconds between two looks at EM for an active failover operation: up to four times as often while its progress nears the end, up to five times less often while it stalls. Default: 1000.',
  }),
  failoverReconcileGraceSeconds: setting({
    env: 'FAILOVER_RECONCILE_GRACE_SECONDS',
    schema: int(1, 3_600).default(60),
    allowed: 'an integer from 1 to 3600',
    doc: 'Seconds after a failover whose answer was lost before the absence of a restore session in EM proves it did not start. Default: 60.',
  }),
  failoverLeaseSeconds: setting({
    env: 'FAILOVER_LEASE_SECONDS',
    schema: int(1, 3_600).optional(),
    allowed: 'an integer from 1 to 3600',
    doc: 'Seconds an instance owns a failover operation without renewing it; another instance takes over after that. Keep it above two EM call timeouts (a dispatch: the call and a new logon); a shorter lease is kept and the start-up log warns. Default: the larger of 30 and 2 × EM_TIMEOUT_MS + 10 s.',
  }),
  failoverEventCatchUpMs: setting({
    env: 'FAILOVER_EVENT_CATCHUP_MS',
    schema: int(100, 600_000).default(2_000),
    allowed: 'an integer from 100 to 600000',
    doc: 'Milliseconds between two reads of the event table for failover events no wake-up announced (Redis lost it, or it came from another instance without Redis). Default: 2000.',
  }),
  readCache: setting({
    env: 'READ_CACHE',
    schema: bool.default(true),
    allowed: 'on or off',
    doc: "Cache answers to read queries, keyed by the document, its variables and the caller's effective policy (never the token), dropped exactly when an account, a sync or a failover changes what they show; shared through Redis when REDIS_URL is set. On PostgreSQL without REDIS_URL only policies are cached (generations kept in the database); answers need Redis there (PGlite is one process). Mutations, subscriptions, auditLog, verifyAuditLog, explain, viewer and gateway are never cached. Default: on.",
  }),
  redisUrl: setting({
    env: 'REDIS_URL',
    schema: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^rediss?$/ }).optional()),
    allowed: 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379',
    doc: 'Redis that carries failover events between gateway instances (pub/sub). Unset: events stay in the process (one instance). Default: unset.',
    secret: true,
  }),
  redisChannel: setting({
    env: 'REDIS_CHANNEL',
    schema: z.string().trim().min(1).max(200).default('failover-gateway:failover-events'),
    allowed: 'a channel name of 1 to 200 characters',
    doc: 'Redis pub/sub channel of failover events. Instances of one deployment share it; deployments that share a Redis need one each. Default: failover-gateway:failover-events.',
  }),
  wsMaxSubscriptions: setting({
    env: 'WS_MAX_SUBSCRIPTIONS',
    schema: int(1, 10_000).default(100),
    allowed: 'an integer from 1 to 10000',
    doc: 'Subscriptions one WebSocket may have open at once; another is refused with TOO_MANY_SUBSCRIPTIONS. Default: 100.',
  }),
  wsIdleTimeoutMs: setting({
    env: 'WS_IDLE_TIMEOUT_MS',
    schema: int(0, 86_400_000).default(300_000),
    allowed: 'an integer from 0 to 86400000',
    doc: 'A WebSocket without any open subscription for this long is closed (1000). 0: never. Default: 300000.',
  }),
  wsInitTimeoutMs: setting({
    env: 'WS_INIT_TIMEOUT_MS',
    schema: int(100, 600_000).default(10_000),
    allowed: 'an integer from 100 to 600000',
    doc: 'How long a new WebSocket may take to send connection_init before it is closed (4408, graphql-ws protocol). Default: 10000.',
  }),
  auditSigningKeyFile: setting({
    env: 'AUDIT_SIGNING_KEY_FILE',
    schema: optionalText,
    allowed: 'the path of an Ed25519 private key in PEM (PKCS #8), e.g. made by openssl genpkey -algorithm ed25519',
    doc: 'Ed25519 private key the gateway signs audit chain heads with; keep it where the database\'s users cannot read it. Default: outside production, a key generated once into DATA_DIR/dev-audit-signing-key.pem; in production it is required.',
  }),
  auditPublicKeyFile: setting({
    env: 'AUDIT_PUBLIC_KEY_FILE',
    schema: optionalText,
    allowed: 'the path of a PEM file of one or more Ed25519 public keys (SPKI)',
    doc: 'Public keys `audit verify` checks signed heads with (keep old keys in it after a key change). The key of AUDIT_SIGNING_KEY_FILE, or the development key, is used as well. Default: unset.',
  }),
  auditSignIntervalSeconds: setting({
    env: 'AUDIT_SIGN_INTERVAL_SECONDS',
    schema: int(1, 86_400).default(60),
    allowed: 'an integer from 1 to 86400',
    doc: 'Seconds between two looks at the audit chain\'s head; the gateway signs it when it moved, and once more on shutdown. Default: 60.',
  }),
  bootstrapAdmins: setting({
    env: 'BOOTSTRAP_ADMINS',
    schema: z.preprocess(
      (value) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter((item) => item !== '') : value),
      z.array(z.string().regex(/^(user|group):\S.*$/)).default([]),
    ),
    allowed: 'a comma-separated list of user:<name> and group:<name>',
    doc: 'Accounts made Portal Administrators at start when they do not exist yet (how a production gateway gets its first administrator), e.g. user:alice,group:dr-admins. Default: none.',
  }),
} as const;

export type Settings = typeof settings;
export type SettingKey = keyof Settings;
