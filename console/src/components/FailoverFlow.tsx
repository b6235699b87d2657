import { Dialog, DialogDismiss, DialogHeading, useDialogStore } from '@ariakit/react';
import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { useLocation } from 'wouter';
import { useApp } from '../app-context';
import { FailoverDocument, type FailoverMutation, type ReplicaKind } from '../generated/graphql';
import { FAILOVER_INPUTS, describeChoice, type FailoverChoice } from '../lib/failover-input';
import { formatDateTime } from '../lib/format';
import { KIND_LABELS } from '../lib/labels';
import { paths } from '../routes';
import { RefusalPanel, RequestError } from './ErrorPanel';

type Payload = FailoverMutation['failover'];
type Refusal = Extract<Payload, { code: unknown }>;

interface Props {
  replica: { id: string; name: string; kind: ReplicaKind };
  choice: FailoverChoice | undefined;
}

/** Extra words some refusals carry (the rule, EM's words, the range a moment must fall in). */
function refusalDetail(refusal: Refusal): string | undefined {
  switch (refusal.__typename) {
    case 'ForbiddenError':
      return `Rule: ${refusal.rule}`;
    case 'EditionNotSupportedError':
      return `Edition: ${refusal.edition}`;
    case 'ReplicaNotReadyError':
      return refusal.replicaState ? `Its state in EM: ${refusal.replicaState}` : undefined;
    case 'InvalidRestoreTargetError':
      return refusal.availableFrom && refusal.availableTo
        ? `Restorable from ${formatDateTime(refusal.availableFrom)} to ${formatDateTime(refusal.availableTo)}`
        : undefined;
    case 'UpstreamRejectedError':
      return refusal.emMessage ? `Enterprise Manager said: ${refusal.emMessage}` : undefined;
    case 'BadUserInputError':
      return `Field: ${refusal.field}`;
    default:
      return undefined;
  }
}

/**
 * Fail over, in three steps: the dry run shows the gateway's decision (the rule
 * that allows it), the dialog restates what will happen, and the confirmation
 * sends it with an idempotency key made when the dialog opened: a double click
 * or a retry after a network error repeats the same request, which the gateway
 * answers with the same operation instead of starting another.
 */
export function FailoverFlow({ replica, choice }: Props) {
  const { settings } = useApp();
  const [, navigate] = useLocation();
  const [reason, setReason] = useState('');
  const [dryRun, setDryRun] = useState<Payload | null>(null);
  const [key, setKey] = useState<string | null>(null);
  const [checkResult, check] = useMutation(FailoverDocument);
  const [sendResult, send] = useMutation(FailoverDocument);
  const [sent, setSent] = useState<Payload | null>(null);
  const dialog = useDialogStore();
  const reasonId = useId();
  const { required, maxLength } = settings.failoverReason;
  const reasonMissing = required && reason.trim() === '';
  const input = (dry: boolean) => (choice ? FAILOVER_INPUTS[replica.kind](replica.id, { choice, reason, dryRun: dry }) : undefined);

  const runDryRun = async () => {
    const request = input(true);
    if (!request) return;
    setSent(null);
    const result = await check({ input: request });
    setDryRun(result.data?.failover ?? null);
  };
  const openConfirm = () => {
    // One key per confirmation: reopening the dialog is a new decision.
    setKey(crypto.randomUUID());
    dialog.show();
  };
  const confirm = async () => {
    const request = input(false);
    if (!request || key === null || sendResult.fetching) return;
    const result = await send({ input: request, idempotencyKey: key });
    const payload = result.data?.failover ?? null;
    setSent(payload);
    if (payload?.__typename === 'FailoverStarted') {
      dialog.hide();
      navigate(paths.operation(payload.operation.id));
    } else if (payload) {
      dialog.hide();
    }
  };

  const decision = dryRun?.__typename === 'FailoverDryRun' ? dryRun : null;
  const refusal = (sent && 'code' in sent ? sent : null) ?? (dryRun && 'code' in dryRun ? dryRun : null);
  return (
    <section aria-labelledby="failover-heading" id="failover" className="card">
      <h2 id="failover-heading">Fail over ({KIND_LABELS[replica.kind]})</h2>
      <div className="form-grid">
        <label htmlFor={reasonId}>Reason{required ? ' (required)' : ' (recorded in the audit log)'}</label>
        <textarea
          id={reasonId}
          value={reason}
          maxLength={maxLength}
          required={required}
          rows={2}
          onChange={(event) => {
            setReason(event.target.value);
            setDryRun(null);
          }}
        />
      </div>
      {choice === undefined ? <p className="muted">Choose what to fail over to above.</p> : null}
      <div className="actions">
        <button type="button" className="button button--quiet" disabled={!choice || reasonMissing || checkResult.fetching} onClick={() => void runDryRun()}>
          Check (dry run)
        </button>
        <button type="button" className="button button--danger" disabled={!decision || reasonMissing} onClick={openConfirm}>
          Fail over…
        </button>
      </div>
      {checkResult.error ? <RequestError error={checkResult.error} /> : null}
      {sendResult.error ? <RequestError error={sendResult.error} /> : null}
      {decision ? (
        <div className="panel panel--good" role="status" data-testid="dry-run-decision">
          <p>
            <strong>Allowed</strong> by rule <code>{decision.rule}</code>: {decision.reason}
          </p>
          <p className="muted">Nothing was sent. Fail over to send it.</p>
        </div>
      ) : null}
      {refusal ? <RefusalPanel code={refusal.code} message={refusal.message} detail={refusalDetail(refusal)} /> : null}
      <Dialog store={dialog} className="dialog" backdrop={<div className="dialog-backdrop" />}>
        <DialogHeading className="dialog__heading">Fail over {replica.name}?</DialogHeading>
        <p>
          {replica.name} fails over to {choice ? describeChoice(choice, formatDateTime) : '—'}. The replica starts on the recovery site. Afterwards this
          page offers what the gateway allows next (undo, failback, permanent failover: VMware vSphere VM replicas only).
        </p>
        {reason.trim() ? <p>Reason: {reason.trim()}</p> : null}
        <div className="actions">
          <DialogDismiss className="button button--quiet">Cancel</DialogDismiss>
          <button type="button" className="button button--danger" disabled={sendResult.fetching} onClick={() => void confirm()} data-testid="confirm-failover">
            {sendResult.fetching ? 'Starting…' : 'Confirm failover'}
          </button>
        </div>
      </Dialog>
    </section>
  );
}
