import { useCallback, useEffect } from 'react';
import { useQuery, useSubscription } from 'urql';
import { Link } from 'wouter';
import { useApp } from '../app-context';
import { RequestError } from '../components/ErrorPanel';
import { OperationsChart } from '../components/OperationsChart';
import { ProgressBar } from '../components/ProgressBar';
import { FailoverEventsDocument, FailoverOperationsDocument, type FailoverEventFieldsFragment, type FailoverOperationFieldsFragment } from '../generated/graphql';
import { useConnectionStatus } from '../graphql/connection-status';
import { formatDateTime } from '../lib/format';
import { KIND_LABELS } from '../lib/labels';
import { usePageTitle } from '../lib/use-page-title';
import { paths } from '../routes';

/**
 * Every failover the caller may see, newest first, with live progress bars:
 * `failoverEvents` writes each event onto its cached operation; an event of an
 * operation the page does not list yet, or a reconnection (events may have
 * been missed while the socket was down), reads the list again.
 */
export default function OperationsPage() {
  usePageTitle('Operations');
  const { status } = useApp();
  const { reconnects } = useConnectionStatus(status);
  const [{ data, error }, refetch] = useQuery({ query: FailoverOperationsDocument, variables: { first: 50 } });
  const operations = data?.failoverOperations.edges.map((edge) => edge.node) ?? [];
  const known = new Set(operations.map((operation) => operation.id));

  useEffect(() => {
    if (reconnects > 0) refetch({ requestPolicy: 'network-only' });
  }, [reconnects, refetch]);
  const onEvent = useCallback(
    (_previous: unknown, event: { failoverEvents: FailoverEventFieldsFragment }) => {
      if (!known.has(event.failoverEvents.operationId)) refetch({ requestPolicy: 'network-only' });
      return event;
    },
    // `known` changes with every list; the check only needs the newest.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data, refetch],
  );
  useSubscription({ query: FailoverEventsDocument, variables: {} }, onEvent);

  const active = operations.filter((operation) => operation.active);
  return (
    <>
      <h1>Operations</h1>
      {error ? <RequestError error={error} /> : null}
      <OperationsChart operations={operations} />
      <section aria-labelledby="active-heading">
        <h2 id="active-heading">Running now ({active.length})</h2>
        {active.length === 0 ? <p className="muted">No failover is running.</p> : null}
        <OperationList operations={active} />
      </section>
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent</h2>
        {data && operations.every((operation) => operation.active) ? <p className="muted">No failover has ended yet.</p> : null}
        <OperationList operations={operations.filter((operation) => !operation.active)} />
      </section>
    </>
  );
}

function OperationList({ operations }: { operations: FailoverOperationFieldsFragment[] }) {
  return (
    <ul className="operation-list">
      {operations.map((operation) => (
        <li key={operation.id} data-testid="operation-row">
          <div className="operation-list__head">
            <Link href={paths.operation(operation.id)}>{operation.replicaName}</Link>
            <span className="muted">
              {KIND_LABELS[operation.kind]} · {operation.initiator} · {formatDateTime(operation.createdAt)}
            </span>
          </div>
          <ProgressBar value={operation.progress} state={operation.state} label={`Failover of ${operation.replicaName}`} />
        </li>
      ))}
    </ul>
  );
}
