import type { FailoverState } from '../generated/graphql';
import { STATE_LABELS } from '../lib/labels';

/** A failover's progress: the native progress element (announced by screen readers) with its state in words. */
export function ProgressBar({ value, state, label }: { value: number; state: FailoverState; label: string }) {
  const { label: stateLabel, tone } = STATE_LABELS[state];
  return (
    <div className={`progress progress--${tone}`}>
      <progress max={100} value={value} aria-label={`${label}: ${value} %`} />
      <span className="progress__text" data-testid="progress-text">
        {value} % · {stateLabel}
      </span>
    </div>
  );
}
