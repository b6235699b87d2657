import { useEffect } from 'react';
import { useQuery } from 'urql';
import { Link, useParams } from 'wouter';
import { ProgressBar } from '../components/ProgressBar';
import { RequestError } from '../components/ErrorPanel';
import { StateBadge } from '../components/StateBadge';
import { ConsoleOperationDocument, type ReplicaAction } from '../generated/graphql';
import { useFailoverProgress } from '../graphql/use-failover-progress';
import { formatDateTime } from '../lib/format';
import { ACTION_LABELS, KIND_LABELS, operationTitle } from '../lib/labels';
import { usePageTitle } from '../lib/use-page-title';
import { decodeParam, paths } from '../routes';

const CDP_TARGETS = {
  LATEST_CRASH_CONSISTENT: 'latest crash-consistent state',
  LATEST_APPLICATION_CONSISTENT: 'latest application-consistent point',
  POINT_IN_TIME: 'point in time',
} as const;

export default function OperationPage() {
  const id = decodeParam(useParams<{ id: string }>().id);
  const [{ data, error, fetching }, refetch] = useQuery({ query: ConsoleOperationDocument, variables: { id } });
  const { events, reconnecting } = useFailoverProgress(id);
  const ended = events.at(-1)?.final === true;
  // The final event ends the stream; the operation's own fields (finishedAt, the replica's state) are read once more then.
  useEffect(() => {
    if (ended) refetch({ requestPolicy: 'network-only' });
  }, [ended, refetch]);
  const operation = data?.failoverOperation;
  usePageTitle(operation ? operationTitle(operation.action, operation.replicaName) : 'Operation');
  if (error && !data) return <RequestError error={error} />;
  if (fetching && !data) return <p aria-busy="true">Loading…</p>;
  if (!operation) {
    return (
      <section>
        <h1>Operation not found</h1>
        <p>No such operation, or you may not see it.</p>
        <Link href={paths.operations}>All operations</Link>
      </section>
    );
  }
  const latest = events.at(-1);
  const progress = latest?.progress ?? operation.progress;
  const state = latest?.state ?? operation.state;
  const title = operationTitle(operation.action, operation.replicaName);
  const replicaState = [...events].reverse().find((event) => event.replicaState)?.replicaState ?? operation.replicaState;
  return (
    <>
      <p className="breadcrumb">
        <Link href={paths.operations}>Operations</Link> › {operation.replicaName}
      </p>
      <h1>{title}</h1>
      <ProgressBar value={progress} state={state} label={title} />
      {reconnecting ? (
        <p className="banner banner--warn" role="status">
          Reconnecting: events resume after #{latest?.sequence ?? 0}.
        </p>
      ) : null}
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <StateBadge state={state} />
        </dd>
        <dt>Action</dt>
        <dd data-testid="operation-action">{ACTION_LABELS[operation.action].title}</dd>
        <dt>Kind</dt>
        <dd>{KIND_LABELS[operation.kind]}</dd>
        <dt>Target</dt>
        <dd>
          {operation.restorePointTime
            ? `Restore point of ${formatDateTime(operation.restorePointTime)}`
            : operation.cdpTarget
              ? `${CDP_TARGETS[operation.cdpTarget]}${operation.cdpPointInTime ? ` ${formatDateTime(operation.cdpPointInTime)}` : ''}`
              : '—'}
        </dd>
        <dt>Asked by</dt>
        <dd>{operation.initiator}</dd>
        <dt>Reason</dt>
        <dd data-testid="operation-reason">{operation.reason ?? '—'}</dd>
        <dt>Started</dt>
        <dd>{formatDateTime(operation.createdAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatDateTime(operation.finishedAt)}</dd>
        {latest?.result ?? operation.result ? (
          <>
            <dt>Result</dt>
            <dd>{latest?.result ?? operation.result}</dd>
          </>
        ) : null}
        {replicaState ? (
          <>
            <dt>Replica’s state</dt>
            <dd>{replicaState}</dd>
          </>
        ) : null}
      </dl>
      {ended ? <NextStep operation={operation} /> : null}
      <section aria-labelledby="events-heading">
        <h2 id="events-heading">Events</h2>
        <ol className="events" data-testid="event-timeline">
          {events.map((event) => (
            <li key={event.sequence} data-sequence={event.sequence}>
              <span className="events__seq">#{event.sequence}</span> <StateBadge state={event.state} /> <span>{event.progress} %</span>{' '}
              <time dateTime={event.at}>{formatDateTime(event.at)}</time>
              {event.restoreSessionState ? <span className="muted"> · session {event.restoreSessionState}</span> : null}
              {event.replicaState ? <span className="muted"> · replica {event.replicaState}</span> : null}
              {event.message ? <span> · {event.message}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

/** Once it ended: where the replica's next actions are (the replica page lists what the gateway allows now). */
function NextStep({ operation }: { operation: { action: ReplicaAction; replicaName: string; state: string; replica: { id: string } | null } }) {
  if (operation.action === 'PERMANENT_FAILOVER' && operation.state === 'SUCCEEDED') {
    return <p className="panel panel--good">{operation.replicaName} is no longer a replica: it left the job and the inventory.</p>;
  }
  if (operation.replica === null) return null;
  return (
    <p className="panel panel--good" data-testid="next-step">
      What you may do next is on the replica’s page: <Link href={paths.replica(operation.replica.id)}>open {operation.replicaName}</Link>.
    </p>
  );
}
