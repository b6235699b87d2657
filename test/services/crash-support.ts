import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { StartedProcess } from '../../bench/processes.js';
import { vbrServersFileOf } from '../support/vbr-servers.js';
import { createDatabase, signerFor, startGatewayProcess, startSimulatorProcess, Subscriber, type GatewayProcess } from './failover-events-support.js';

type Database = Awaited<ReturnType<typeof createDatabase>>;
type SimulatorProcess = StartedProcess & { adminUrl: string };

export interface CrashStageOptions {
  databasePrefix: string;
  simulatorEnv: Record<string, string>;
  /** Short, so that a survivor takes a killed gateway's operations over within the test. */
  leaseSeconds: number;
  /** Runs before the gateways' VBR_SERVERS file is written from the simulator's faces. */
  configureSimulator?: (simulatorAdminUrl: string) => Promise<void>;
  /** What differs between the crash tests: the event bus (Redis or none) and its catch-up. */
  gatewayEnv: (database: Database) => Record<string, string>;
}

export interface CrashStage {
  readonly database: Database;
  readonly simulator: SimulatorProcess;
  token(): Promise<string>;
  /** A gateway process on the stage's database and simulator; stopped after the tests if none killed it. */
  startGateway(): Promise<GatewayProcess>;
  /** A subscriber on `gateway`, closed after the tests. */
  subscribe(gateway: GatewayProcess, token: string, query: string, variables: Record<string, unknown>): Subscriber;
}

/**
 * What the crash tests stand on: a database of their own, the EM simulator and
 * gateways as real processes (so that one can be killed with SIGKILL), all
 * sharing one JWT secret. Registers its hooks in the calling describe block;
 * everything it started is gone after the tests, whatever they killed.
 */
export function crashStage(options: CrashStageOptions): CrashStage {
  const jwtSecret = randomBytes(32).toString('hex');
  let database: Database | undefined;
  let simulator: SimulatorProcess | undefined;
  let vbrServers: string | undefined;
  const gateways: GatewayProcess[] = [];
  const subscribers: Subscriber[] = [];

  beforeAll(async () => {
    database = await createDatabase(options.databasePrefix);
    simulator = await startSimulatorProcess(options.simulatorEnv);
    await options.configureSimulator?.(simulator.adminUrl);
    vbrServers = await vbrServersFileOf(simulator.adminUrl);
  });
  afterAll(async () => {
    await Promise.allSettled(subscribers.map((s) => s.close()));
    await Promise.allSettled(gateways.map((g) => g.stop()));
    await simulator?.stop();
    await database?.drop();
  });

  return {
    get database() {
      return database!;
    },
    get simulator() {
      return simulator!;
    },
    token: () => signerFor(jwtSecret).sign(),
    async startGateway() {
      const gateway = await startGatewayProcess({
        DATABASE_URL: database!.url,
        EM_URL: simulator!.url,
        VBR_SERVERS: vbrServers!,
        JWT_SECRET: jwtSecret,
        FAILOVER_POLL_MS: '200',
        FAILOVER_LEASE_SECONDS: String(options.leaseSeconds),
        ...options.gatewayEnv(database!),
      });
      gateways.push(gateway);
      return gateway;
    },
    subscribe(gateway, token, query, variables) {
      const subscriber = new Subscriber(gateway.wsUrl, token, query, variables);
      subscribers.push(subscriber);
      return subscriber;
    },
  };
}
