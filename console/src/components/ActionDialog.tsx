import { Dialog, DialogDismiss, DialogHeading, useDialogStore } from '@ariakit/react';
import { useId, useRef, useState } from 'react';
import { useClient } from 'urql';
import { Link, useLocation } from 'wouter';
import { useApp } from '../app-context';
import type { ReplicaAction, ReplicaKind } from '../generated/graphql';
import { sendReplicaAction, type ActionPayload, type ActionRequest } from '../graphql/replica-action-mutations';
import { LIFECYCLE_ERROR_WORDS } from '../lib/error-words';
import { EMPTY_FAILBACK_FORM, failbackInput, type FailbackForm, type FailbackProblem } from '../lib/failback-input';
import { ACTION_LABELS, EDITION_LABELS, KIND_LABELS } from '../lib/labels';
import { ACTION_EFFECTS, DESTRUCTIVE_ACTIONS, nameConfirms } from '../lib/replica-actions';
import { paths } from '../routes';
import type { CombinedError } from '@urql/core';
import { RefusalPanel, RequestError } from './ErrorPanel';
import { FailbackFields } from './FailbackFields';

type LifecycleAction = Exclude<ReplicaAction, 'FAILOVER'>;
type Refusal = Extract<ActionPayload, { code: unknown }>;
type DryRun = Extract<ActionPayload, { __typename: 'ReplicaActionDryRun' }>;

interface Props {
  replica: { id: string; name: string; kind: ReplicaKind; state: string | null };
  action: LifecycleAction;
  onClose(): void;
  /** The replica's state turned out other than the page showed: read it again. */
  onStale(): void;
}

const actionList = (actions: readonly ReplicaAction[]) => (actions.length === 0 ? 'nothing' : actions.map((action) => ACTION_LABELS[action].title.toLowerCase()).join(', '));

/** Extra words some refusals carry: the rule, the state the backup server reports and what it allows, its own words. */
function refusalDetail(refusal: Refusal): string | undefined {
  switch (refusal.__typename) {
    case 'ForbiddenError':
      return `Rule: ${refusal.rule}`;
    case 'EditionNotSupportedError':
      return `Edition: ${EDITION_LABELS[refusal.edition]}`;
    case 'WrongReplicaStateError':
      return `Its state on the backup server now: ${refusal.replicaState ?? 'unknown'}. That state allows: ${actionList(refusal.allowedActions)}.`;
    case 'ReplicaNotReadyError':
      return refusal.replicaState ? `Its state: ${refusal.replicaState}` : undefined;
    case 'ActionNotSupportedError':
      return refusal.kind ? `Kind: ${KIND_LABELS[refusal.kind]}` : undefined;
    case 'UpstreamRejectedError':
      return refusal.emMessage ? `The backup server said: ${refusal.emMessage}` : undefined;
    case 'BadUserInputError':
      return `Field: ${refusal.field}`;
    default:
      return undefined;
  }
}

/**
 * One action after a failover, in one dialog: what it does, its inputs (for
 * failback: where to and when to switch), a reason, the dry run that shows
 * the gateway's decision and the rule behind it, then the confirmation. The
 * idempotency key is made when a dry run allows the request, and dropped when
 * anything in it changes: a double click, or a retry after a network error,
 * repeats that same request with that same key, which the gateway answers
 * with the operation it already started. An action that cannot be undone asks
 * for the replica's name to be typed before it can be confirmed.
 */
export function ActionDialog({ replica, action, onClose, onStale }: Props) {
  const { settings } = useApp();
  const client = useClient();
  const [, navigate] = useLocation();
  const dialog = useDialogStore({ defaultOpen: true, setOpen: (open) => (open ? undefined : onClose()) });
  const ids = { effect: useId(), reason: useId(), typed: useId(), typedHint: useId() };
  const [reason, setReason] = useState('');
  const [form, setForm] = useState<FailbackForm>(EMPTY_FAILBACK_FORM);
  const [problem, setProblem] = useState<FailbackProblem | null>(null);
  const [decision, setDecision] = useState<DryRun | null>(null);
  const [key, setKey] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState<'check' | 'send' | null>(null);
  // Set before React draws the next frame: a second click of a double click sees it.
  const sending = useRef(false);

  const { title } = ACTION_LABELS[action];
  const destructive = DESTRUCTIVE_ACTIONS.has(action);
  const { required, maxLength } = settings.failoverReason;
  const reasonMissing = required && reason.trim() === '';

  /** Anything the request holds changed: the dry run and its key no longer speak for it. */
  const changed = () => {
    setDecision(null);
    setKey(null);
    setRefusal(null);
    setError(null);
  };

  const request = (dryRun: boolean): ActionRequest | FailbackProblem => {
    if (action === 'FAILBACK') {
      const built = failbackInput(replica.id, form, { reason, dryRun, now: Date.now() });
      return 'problem' in built ? built.problem : { action, input: built.input };
    }
    return { action, input: { replicaId: replica.id, reason: reason.trim() === '' ? null : reason.trim(), dryRun } };
  };

  const answered = (payload: ActionPayload | null, requestError: CombinedError | undefined): Refusal | null => {
    setError(requestError ?? null);
    const refused = payload && 'code' in payload ? payload : null;
    setRefusal(refused);
    if (refused?.__typename === 'WrongReplicaStateError') onStale();
    return refused;
  };

  const check = async () => {
    const built = request(true);
    if ('field' in built) {
      setProblem(built);
      return;
    }
    setProblem(null);
    setBusy('check');
    try {
      const { payload, error: requestError } = await sendReplicaAction(client, built, null);
      answered(payload, requestError);
      if (payload?.__typename === 'ReplicaActionDryRun') {
        setDecision(payload);
        // One key per confirmation of this exact request.
        setKey(crypto.randomUUID());
      } else {
        setDecision(null);
        setKey(null);
      }
    } finally {
      setBusy(null);
    }
  };

  const confirm = async () => {
    if (sending.current || key === null || decision === null) return;
    const built = request(false);
    if ('field' in built) {
      setProblem(built);
      changed();
      return;
    }
    sending.current = true;
    setBusy('send');
    try {
      const { payload, error: requestError } = await sendReplicaAction(client, built, key);
      if (payload?.__typename === 'ReplicaActionStarted') {
        dialog.hide();
        navigate(paths.operation(payload.operation.id));
        return;
      }
      const refused = answered(payload, requestError);
      // Unreachable backup server or network: nothing started, and the same key is safe to send again.
      if (refused !== null && refused.code !== 'UPSTREAM_UNAVAILABLE') {
        setDecision(null);
        setKey(null);
      }
    } finally {
      sending.current = false;
      setBusy(null);
    }
  };

  const canConfirm = decision !== null && key !== null && !reasonMissing && (!destructive || nameConfirms(typed, replica.name)) && busy === null;
  return (
    <Dialog store={dialog} className="dialog dialog--wide" backdrop={<div className="dialog-backdrop" />} aria-describedby={ids.effect}>
      <DialogHeading className="dialog__heading">
        {title} of {replica.name}
      </DialogHeading>
      <p id={ids.effect}>{ACTION_EFFECTS[action]}</p>
      <p className="muted">
        Its state as the inventory last saw it: {replica.state ?? 'unknown'}. The gateway asks the backup server again before it sends anything.
      </p>
      {action === 'FAILBACK' ? (
        <FailbackFields
          form={form}
          problem={problem}
          onChange={(next) => {
            setForm(next);
            setProblem(null);
            changed();
          }}
        />
      ) : null}
      <div className="form-grid">
        <label htmlFor={ids.reason}>Reason{required ? ' (required)' : ' (recorded in the audit log)'}</label>
        <textarea
          id={ids.reason}
          value={reason}
          maxLength={maxLength}
          required={required}
          rows={2}
          onChange={(event) => {
            setReason(event.target.value);
            changed();
          }}
        />
      </div>
      <div className="actions">
        <button type="button" className="button button--quiet" disabled={reasonMissing || busy !== null} onClick={() => void check()}>
          {busy === 'check' ? 'Checking…' : 'Check (dry run)'}
        </button>
      </div>
      {error ? <RequestError error={error} /> : null}
      {decision ? (
        <div className="panel panel--good" role="status" data-testid="action-dry-run">
          <p>
            <strong>Allowed</strong> by rule <code>{decision.rule}</code>: {decision.reason}
          </p>
          {decision.replicaState ? <p>The backup server reports its state now: {decision.replicaState}.</p> : null}
          <p className="muted">Nothing was sent. Confirm to start it.</p>
        </div>
      ) : null}
      {refusal ? (
        <RefusalPanel code={refusal.code} message={refusal.message} detail={refusalDetail(refusal)} words={LIFECYCLE_ERROR_WORDS}>
          {refusal.__typename === 'FailoverInProgressError' && refusal.activeOperation ? (
            <p>
              <Link href={paths.operation(refusal.activeOperation.id)}>Follow the running {ACTION_LABELS[refusal.activeOperation.action].title.toLowerCase()}</Link>
            </p>
          ) : null}
        </RefusalPanel>
      ) : null}
      {destructive && decision ? (
        <div className="form-grid">
          <label htmlFor={ids.typed}>Type the replica’s name to confirm</label>
          <input
            id={ids.typed}
            value={typed}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={ids.typedHint}
            onChange={(event) => setTyped(event.target.value)}
          />
          <p id={ids.typedHint} className="muted form-grid__wide">
            This cannot be undone. Type <strong className="typed-name">{replica.name}</strong> exactly.
          </p>
        </div>
      ) : null}
      <div className="actions">
        <DialogDismiss className="button button--quiet">Cancel</DialogDismiss>
        <button
          type="button"
          className={`button${destructive ? ' button--danger' : ''}`}
          disabled={!canConfirm}
          onClick={() => void confirm()}
          data-testid="confirm-action"
        >
          {busy === 'send' ? 'Starting…' : `Confirm ${title.toLowerCase()}`}
        </button>
      </div>
      {decision === null && refusal === null ? <p className="muted">Run the dry run first: the confirmation opens when the gateway allows the request.</p> : null}
      <p className="muted">Once started, its progress is followed live on the operation’s page.</p>
    </Dialog>
  );
}
