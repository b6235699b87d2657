import { CallCounter } from '../counters.js';
import { FaultInjector, type SimulatorFaults } from '../faults.js';
import type { BackupServerRecord } from '../inventory-types.js';
import { DEFAULT_REVISIONS, type VbrRevision } from './revisions.js';
import { VbrTokenStore, type VbrRole } from './tokens.js';

export interface VbrAccount {
  username: string;
  password: string;
  role: VbrRole;
}

/** Accounts of every simulated VBR face. */
export const VBR_ACCOUNTS: readonly VbrAccount[] = [
  { username: 'vbr-admin', password: 'vbr-admin', role: 'BackupAdministrator' },
  { username: 'vbr-restore', password: 'vbr-restore', role: 'RestoreOperator' },
];

/** One backup server's VBR REST face: its own tokens, faults, counters and revisions. */
export class VbrFace {
  readonly counter = new CallCounter();
  readonly faults: FaultInjector;
  readonly tokens: VbrTokenStore;

  constructor(
    readonly server: BackupServerRecord,
    readonly revisions: readonly VbrRevision[],
    tokenLifetimeSeconds: number,
    readonly initialFaults: SimulatorFaults,
    now: () => number,
  ) {
    this.faults = new FaultInjector(initialFaults);
    this.tokens = new VbrTokenStore(tokenLifetimeSeconds, now);
  }

  authenticate(username: string, password: string): VbrAccount | undefined {
    return VBR_ACCOUNTS.find((a) => a.username.toLowerCase() === username.toLowerCase() && a.password === password);
  }
}

export { DEFAULT_REVISIONS };
