import type { FailoverState } from '../generated/graphql';
import { STATE_LABELS } from '../lib/labels';

export function StateBadge({ state }: { state: FailoverState }) {
  const { label, tone } = STATE_LABELS[state];
  return <span className={`badge badge--${tone}`}>{label}</span>;
}

/** EM's replica state: Ready reads as good, anything else as busy or bad. */
export function ReplicaStateBadge({ state }: { state: string | null }) {
  const tone = state === 'Ready' ? 'good' : state === 'Processing' || state === 'Failover' ? 'busy' : 'warn';
  return <span className={`badge badge--${tone}`}>{state ?? 'Unknown'}</span>;
}
