import { useEffect, useId, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { Link, useParams } from 'wouter';
import { CdpTimeline } from '../components/CdpTimeline';
import { RequestError } from '../components/ErrorPanel';
import { FailoverFlow } from '../components/FailoverFlow';
import { ProgressBar } from '../components/ProgressBar';
import { ReplicaActions } from '../components/ReplicaActions';
import { ReplicaStateBadge } from '../components/StateBadge';
import { ReplicaDetailDocument, type ReplicaDetailQuery } from '../generated/graphql';
import type { Interval, LongTermPoint } from '../lib/cdp-timeline';
import type { FailoverChoice } from '../lib/failover-input';
import { formatDateTime, fromLocalInput, toLocalInput } from '../lib/format';
import { ACTION_LABELS, EDITION_LABELS, KIND_LABELS, operationTitle } from '../lib/labels';
import { usePageTitle } from '../lib/use-page-title';
import { decodeParam, paths } from '../routes';

type Node = NonNullable<ReplicaDetailQuery['node']>;
type ReplicaNode = Extract<Node, { kind: unknown }>;

const isReplica = (node: Node | null | undefined): node is ReplicaNode => node !== null && node !== undefined && 'kind' in node;

export default function ReplicaPage() {
  const id = decodeParam(useParams<{ id: string }>().id);
  // Read again on every visit: an action that ended since changed its state and what may be done now.
  const [{ data, fetching, error }, refetch] = useQuery({ query: ReplicaDetailDocument, variables: { id }, requestPolicy: 'cache-and-network' });
  const replica = isReplica(data?.node) ? data.node : null;
  usePageTitle(replica?.name ?? 'Replica');
  const [choice, setChoice] = useState<FailoverChoice | undefined>(undefined);

  if (error && !data) return <RequestError error={error} />;
  if (fetching && !data) return <p aria-busy="true">Loading…</p>;
  if (!replica) {
    return (
      <section>
        <h1>Replica not found</h1>
        <p>No such replica, or it is outside your restore scope: the gateway does not tell the two apart.</p>
        <Link href={paths.inventory}>Back to the inventory</Link>
      </section>
    );
  }
  const failoverOffered = replica.allowedActions.includes('FAILOVER');
  const operations = data?.failoverOperations.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <p className="breadcrumb">
        <Link href={paths.inventory}>Inventory</Link> › {replica.name}
      </p>
      <h1>{replica.name}</h1>
      <dl className="facts">
        <dt>Kind</dt>
        <dd>{KIND_LABELS[replica.kind]}</dd>
        <dt>State</dt>
        <dd>
          <ReplicaStateBadge state={replica.state} />
        </dd>
        <dt>Backup server</dt>
        <dd>
          {replica.backupServer.name} ({EDITION_LABELS[replica.backupServer.edition]})
        </dd>
        <dt>Platform</dt>
        <dd>{replica.platform}</dd>
        {'jobName' in replica && replica.jobName ? (
          <>
            <dt>Job</dt>
            <dd>{replica.jobName}</dd>
          </>
        ) : null}
        {'policyName' in replica && replica.policyName ? (
          <>
            <dt>CDP policy</dt>
            <dd>{replica.policyName}</dd>
          </>
        ) : null}
        <dt>Synced</dt>
        <dd>{formatDateTime(replica.syncedAt)}</dd>
      </dl>
      <ReplicaActions replica={replica} onStale={() => refetch({ requestPolicy: 'network-only' })} />
      {'restorePoints' in replica ? <RestorePoints replica={replica} choice={choice} onChoose={setChoice} /> : null}
      {'shortTermRanges' in replica ? <CdpTargets replica={replica} choice={choice} onChoose={setChoice} /> : null}
      {failoverOffered ? null : (
        <p className="panel panel--warn" role="note">
          Not offered now: the gateway does not list failover among what you may do to this replica now (your accounts, its state or its backup server’s
          edition). A dry run shows the gateway’s answer and what to do about it.
        </p>
      )}
      <FailoverFlow replica={replica} choice={choice} />
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Operations on this replica</h2>
        {operations.length === 0 ? <p className="muted">None you may see.</p> : null}
        <ul className="operation-list">
          {operations.map((operation) => (
            <li key={operation.id} data-testid="replica-operation">
              <Link href={paths.operation(operation.id)}>
                {ACTION_LABELS[operation.action].title}, {formatDateTime(operation.createdAt)}
              </Link>{' '}
              by {operation.initiator}
              <ProgressBar value={operation.progress} state={operation.state} label={operationTitle(operation.action, operation.replicaName)} />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

type WithPoints = Extract<ReplicaNode, { restorePoints: unknown }>;
type WithCdp = Extract<ReplicaNode, { shortTermRanges: unknown }>;

function RestorePoints({ replica, choice, onChoose }: { replica: WithPoints; choice: FailoverChoice | undefined; onChoose(choice: FailoverChoice): void }) {
  const name = useId();
  const points = replica.restorePoints.edges.map((edge) => edge.node);
  // The newest point is what most failovers want: chosen until the person picks another.
  useEffect(() => {
    if (choice === undefined && points[0]) onChoose({ kind: 'restorePoint', restorePointId: points[0].id });
  }, [choice, points, onChoose]);
  return (
    <section aria-labelledby="points-heading">
      <h2 id="points-heading">Restore points, newest first ({replica.restorePoints.totalCount})</h2>
      <fieldset className="choice-list">
        <legend className="visually-hidden">Restore point to fail over to</legend>
        {points.map((point) => (
          <label key={point.id} className="choice">
            <input
              type="radio"
              name={name}
              checked={choice?.kind === 'restorePoint' && choice.restorePointId === point.id}
              onChange={() => onChoose({ kind: 'restorePoint', restorePointId: point.id })}
            />
            <span>{formatDateTime(point.creationTime)}</span>
            <span className="muted">{[point.pointType, point.algorithm].filter(Boolean).join(' · ')}</span>
          </label>
        ))}
      </fieldset>
      {points.length === 0 ? <p>This replica has no restore point: it cannot fail over.</p> : null}
    </section>
  );
}

function CdpTargets({ replica, choice, onChoose }: { replica: WithCdp; choice: FailoverChoice | undefined; onChoose(choice: FailoverChoice): void }) {
  const name = useId();
  const inputId = useId();
  const intervals = useMemo<Interval[]>(
    () => replica.shortTermRanges.edges.map(({ node }) => ({ start: new Date(node.start).getTime(), end: new Date(node.end).getTime() })),
    [replica.shortTermRanges],
  );
  const points = useMemo<LongTermPoint[]>(
    () => replica.longTermPoints.edges.map(({ node }) => ({ at: new Date(node.date).getTime(), applicationConsistent: node.applicationConsistent })),
    [replica.longTermPoints],
  );
  useEffect(() => {
    if (choice === undefined) onChoose({ kind: 'latestCrashConsistent' });
  }, [choice, onChoose]);
  const pit = choice?.kind === 'pointInTime' ? choice.at : undefined;
  const [typed, setTyped] = useState('');
  useEffect(() => {
    if (pit !== undefined) setTyped(toLocalInput(pit));
  }, [pit]);
  return (
    <section aria-labelledby="cdp-heading">
      <h2 id="cdp-heading">CDP history</h2>
      <CdpTimeline intervals={intervals} points={points} value={pit} onPick={(at) => onChoose({ kind: 'pointInTime', at })} />
      <fieldset className="choice-list">
        <legend>Fail over to</legend>
        <label className="choice">
          <input type="radio" name={name} checked={choice?.kind === 'latestCrashConsistent'} onChange={() => onChoose({ kind: 'latestCrashConsistent' })} />
          <span>Latest crash-consistent state</span>
        </label>
        <label className="choice">
          <input
            type="radio"
            name={name}
            disabled={replica.hasApplicationConsistentState === false}
            checked={choice?.kind === 'latestApplicationConsistent'}
            onChange={() => onChoose({ kind: 'latestApplicationConsistent' })}
          />
          <span>Latest application-consistent point{replica.hasApplicationConsistentState === false ? ' (none yet)' : ''}</span>
        </label>
        <div className="choice">
          <input
            type="radio"
            name={name}
            aria-label="A point in time"
            checked={choice?.kind === 'pointInTime'}
            onChange={() => onChoose({ kind: 'pointInTime', at: intervals[0]?.end ?? Date.now() })}
          />
          <label htmlFor={inputId}>Point in time (picked on the timeline, or typed)</label>
          <input
            id={inputId}
            type="datetime-local"
            step={1}
            value={typed}
            data-testid="point-in-time"
            onChange={(event) => {
              setTyped(event.target.value);
              const at = fromLocalInput(event.target.value);
              if (at !== undefined) onChoose({ kind: 'pointInTime', at });
            }}
          />
        </div>
      </fieldset>
    </section>
  );
}
