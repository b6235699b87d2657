import { useEffect, useState } from 'react';
import type { ReplicaAction, ReplicaKind } from '../generated/graphql';
import { ACTION_LABELS, KIND_LABELS } from '../lib/labels';
import { actionOfHash, DESTRUCTIVE_ACTIONS, lifecycleActions } from '../lib/replica-actions';
import { ActionDialog } from './ActionDialog';

type LifecycleAction = Exclude<ReplicaAction, 'FAILOVER'>;

interface Props {
  replica: { id: string; name: string; kind: ReplicaKind; state: string | null; allowedActions: readonly ReplicaAction[] };
  /** Reads the replica again (its state and allowed actions). */
  onStale(): void;
}

/**
 * The actions after a failover that the API lists for this replica now
 * (`allowedActions`): one button each, nothing else. A link to
 * `#action-<ACTION>` opens that action's dialog when the action is listed.
 */
export function ReplicaActions({ replica, onStale }: Props) {
  const actions = lifecycleActions(replica.allowedActions) as LifecycleAction[];
  const [open, setOpen] = useState<LifecycleAction | null>(null);
  useEffect(() => {
    const asked = actionOfHash(window.location.hash) as LifecycleAction | undefined;
    if (asked !== undefined && actions.includes(asked)) setOpen(asked);
    // Only the link the page was opened with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const close = () => {
    setOpen(null);
    // Closed for good: a reload should not open it again.
    if (actionOfHash(window.location.hash) !== undefined) history.replaceState(history.state, '', window.location.pathname + window.location.search);
  };
  return (
    <section aria-labelledby="actions-heading" id="actions" className="card">
      <h2 id="actions-heading">What you may do now</h2>
      {actions.length > 0 ? (
        <div className="actions" data-testid="replica-actions">
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={`button${DESTRUCTIVE_ACTIONS.has(action) ? ' button--danger' : ' button--quiet'}`}
              onClick={() => setOpen(action)}
            >
              {ACTION_LABELS[action].button}…
            </button>
          ))}
        </div>
      ) : (
        <p data-testid="no-replica-actions">
          No action after failover is open to you now
          {replica.allowedActions.includes('FAILOVER') ? ' (failing over is, below)' : ''}.
          {replica.kind === 'VM_REPLICA'
            ? ' The gateway lists one here when your accounts, the replica’s state and its backup server’s edition allow it.'
            : ` Undo, permanent failover and failback of a ${KIND_LABELS[replica.kind]} are done in the Veeam Backup & Replication console: no API offers them.`}
        </p>
      )}
      {open !== null ? <ActionDialog key={open} replica={replica} action={open} onClose={close} onStale={onStale} /> : null}
    </section>
  );
}
