import type { Logger } from 'pino';
import type { CallCounters } from './counters.js';
import type { SimulatorFaults } from './faults.js';
import type { Inventory } from './inventory-generator.js';
import type { InventoryOptions } from './inventory-types.js';
import type { EmRole, LogonSessionRecord } from './sessions.js';
import type { FailoverTimings } from './state-machine.js';

export interface SimulatorAccount {
  username: string;
  password: string;
  /** EM role (default 'PortalAdministrator'). Others get 403 on CDP failover, as in EM's REST role matrix. */
  role?: EmRole;
}

export interface SimulatorOptions extends InventoryOptions {
  /** Interface to listen on (default '127.0.0.1'). */
  host?: string;
  /** Port to listen on (default 9398, EM's; 0 picks a free one). */
  port?: number;
  /** The EM account's user name (default 'em-admin'). */
  username?: string;
  /** The EM account's password (default 'em-admin'). */
  password?: string;
  /** More accounts, e.g. a RestoreOperator to provoke 403s (default none). */
  accounts?: SimulatorAccount[];
  /** Idle time after which a logon session expires (default 900,000 ms = 15 min, as EM). */
  sessionIdleTimeoutMs?: number;
  /** From a failover POST to its restore session's Stopped (default 10,000 ms). */
  failoverDurationMs?: number;
  /** From Stopped to the task's Finished (default 10 % of failoverDurationMs). */
  failoverCollectMs?: number;
  /** Faults active from the start (default none). */
  faults?: SimulatorFaults;
  /** Request and lifecycle logging (default: silent). */
  logger?: Logger;
  /** Clock, for tests (default Date.now). */
  now?: () => number;
}

export interface SimulatorDump {
  seed: number;
  size: number;
  counts: Inventory['counts'];
  faults: SimulatorFaults;
  timings: FailoverTimings;
  sessionIdleTimeoutMs: number;
  counters: CallCounters;
  sessions: LogonSessionRecord[];
  tasks: Array<{
    id: string;
    sessionId: string;
    operation: string;
    kind: string;
    unit: number;
    restoreSessionId: string;
    displayName: string;
    result: string;
    startedAt: string;
    taskState: string;
    sessionState: string;
    progress: number;
  }>;
  /** Replicas whose state differs from the generated one because of a failover. */
  replicas: Array<{ kind: string; unit: number; state: string }>;
}

export interface RunningSimulator {
  /** Base URL including /api, e.g. http://127.0.0.1:9398/api (what EM_URL should hold). */
  readonly url: string;
  /** Base URL of the admin endpoints, e.g. http://127.0.0.1:9398/admin. */
  readonly adminUrl: string;
  readonly host: string;
  readonly port: number;
  readonly inventory: Inventory;
  /** Current faults; assigning replaces them all ({} clears). */
  faults: SimulatorFaults;
  /** Failover speed for failovers started from now on. */
  timings: FailoverTimings;
  /** Idle timeout of logon sessions, applies to existing sessions too. */
  sessionIdleTimeoutMs: number;
  /** Snapshot of calls per endpoint since start or the last reset. */
  readonly counters: CallCounters;
  resetCounters(): void;
  /** Forced expiry: every logon session gets 401 next time. Returns how many were dropped. */
  expireSessions(): number;
  /** Back to the generated state: failovers, tasks, counters and faults (to the start options); sessions survive. */
  reset(): void;
  dump(): SimulatorDump;
  close(): Promise<void>;
}
