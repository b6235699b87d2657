import type { Logger } from 'pino';
import type { CallCounters } from './counters.js';
import type { SimulatorFaults } from './faults.js';
import type { Inventory } from './inventory-generator.js';
import type { InventoryOptions } from './inventory-types.js';
import type { LifecycleSessionType, VbrSessionDurations } from './lifecycle-machine.js';
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
  /**
   * `x-api-version` revisions each VBR face accepts, by backup server name
   * (default for every server: 1.1-rev0 … 1.3-rev1, VBR 13.0.1's). E.g.
   * `{ 'vbr-02.lab.local': ['1.1-rev0', '1.1-rev1', '1.1-rev2'] }` makes that
   * server a 12.2 one, without /license and /inventory.
   */
  vbrRevisions?: Record<string, string[]>;
  /** Backup servers (by name) without a VBR face: their /vbr/<name> prefix answers 404, like a server the gateway cannot reach. */
  vbrDisabled?: string[];
  /** Access-token lifetime of the VBR faces, in seconds (default 900). */
  vbrTokenLifetimeSeconds?: number;
  /** Faults of every VBR face from the start (default none). Their `failoverResult` and `failoverResponse` apply to the lifecycle POSTs. */
  vbrFaults?: SimulatorFaults;
  /**
   * Length of the VBR faces' lifecycle sessions, per session type, in ms
   * (default for each: `failoverDurationMs`). `Failback` is the sync; an Auto
   * failback adds `SwitchReplicaToProduction`.
   */
  vbrSessionDurationsMs?: Partial<VbrSessionDurations>;
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
  replicas: Array<{ kind: string; unit: number; state: string; removed?: true }>;
  vbrFaces: VbrFaceDump[];
  vbrSessionDurationsMs: VbrSessionDurations;
  /** VBR lifecycle sessions that have started, in creation order. */
  vbrSessions: Array<{
    id: string;
    backupServer: string;
    type: LifecycleSessionType;
    name: string;
    unit: number;
    startedAt: string;
    state: string;
    progressPercent: number;
    result: string;
    replicaState: string;
  }>;
}

export interface VbrFaceDump {
  /** Backup server name (the path segment after /vbr/). */
  name: string;
  /** Base URL for the VBR client (without /api); absent when the face is disabled. */
  url?: string;
  enabled: boolean;
  revisions: string[];
  tokenLifetimeSeconds: number;
  liveAccessTokens: number;
  faults: SimulatorFaults;
  counters: CallCounters;
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
  /** Base URLs of the enabled VBR faces (without /api), by backup server name. */
  readonly vbrUrls: Readonly<Record<string, string>>;
  /** One VBR face's faults (by backup server name). */
  vbrFaults(server: string): SimulatorFaults;
  /** Replaces the faults of one VBR face, or of every face when `server` is omitted ({} clears). */
  setVbrFaults(faults: SimulatorFaults, server?: string): void;
  /** Every access token of one VBR face (or all faces) expires now; refresh tokens keep working. Returns how many were live. */
  expireVbrTokens(server?: string): number;
  /** The next refresh grant on one face (or every face) answers 400 InvalidToken as if its token had been used already. */
  failNextVbrRefresh(server?: string): void;
  /** Calls per route of one VBR face since start or the last resetCounters. */
  vbrCounters(server: string): CallCounters;
  /** Lengths of VBR lifecycle sessions started from now on; assigning sets the session types it names (a RangeError for a bad one). */
  vbrSessionDurations: VbrSessionDurations;
  /** Back to the generated state: failovers, lifecycle sessions, tasks, counters and faults (EM and VBR, to the start options); logon sessions, tokens and durations survive. */
  reset(): void;
  dump(): SimulatorDump;
  close(): Promise<void>;
}
