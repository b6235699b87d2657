import type { FailoverState } from '../generated/graphql';
import { STATE_LABELS } from '../lib/labels';

export function StateBadge({ state }: { state: FailoverState }) {
  const { label, tone } = STATE_LABELS[state];
  return <span className={`badge badge--${tone}`}>{label}</span>;
}

/** States of a replica on its way somewhere (failed over, failing back): busy, not wrong. */
const ON_THE_WAY = new Set(['Processing', 'Failover', 'ReadyToSwitch', 'Failback']);

/** The replica's state (EM's, or its backup server's): Ready reads as good, on the way as busy, anything else as a warning. */
export function ReplicaStateBadge({ state }: { state: string | null }) {
  const tone = state === 'Ready' ? 'good' : state !== null && ON_THE_WAY.has(state) ? 'busy' : 'warn';
  return <span className={`badge badge--${tone}`}>{state ?? 'Unknown'}</span>;
}
