import { memo, useCallback, useEffect, useRef } from 'react';
import { useQuery, useSubscription } from 'urql';
import { Link } from 'wouter';
import { useApp } from '../app-context';
import { RequestError } from '../components/ErrorPanel';
import { OperationsChart } from '../components/OperationsChart';
import { ProgressBar } from '../components/ProgressBar';
import {
  ConsoleOperationsDocument,
  FailoverEventsDocument,
  type ConsoleOperationFieldsFragment,
  type FailoverEventFieldsFragment,
} from '../generated/graphql';
import { useConnectionStatus } from '../graphql/connection-status';
import { formatDateTime } from '../lib/format';
import { ACTION_LABELS, KIND_LABELS, operationTitle } from '../lib/labels';
import { usePageTitle } from '../lib/use-page-title';
import { paths } from '../routes';

/** Most running operations listed (a disaster's worth); the gateway pages beyond. */
const ACTIVE_LIMIT = 500;
const RECENT_LIMIT = 30;
/** Lists are read again at most this often when events name operations they do not hold. */
const REFRESH_MS = 1000;

/**
 * Every operation (failover or a later action) the caller may see: the running ones with live progress bars,
 * then the recent ones. `failoverEvents` writes each event onto its cached
 * operation; an event of an operation the page does not list yet, or a
 * reconnection (events may have been missed while the socket was down), reads
 * the lists again, at most once a second however many events ask for it.
 */
export default function OperationsPage() {
  usePageTitle('Operations');
  const { status } = useApp();
  const { reconnects } = useConnectionStatus(status);
  const [active, refetchActive] = useQuery({ query: ConsoleOperationsDocument, variables: { filter: { active: true }, first: ACTIVE_LIMIT } });
  const [recent, refetchRecent] = useQuery({ query: ConsoleOperationsDocument, variables: { filter: { active: false }, first: RECENT_LIMIT } });
  const running = active.data?.failoverOperations.edges.map((edge) => edge.node) ?? [];
  const ended = recent.data?.failoverOperations.edges.map((edge) => edge.node) ?? [];
  const known = useRef(new Set<string>());
  known.current = new Set(running.map((operation) => operation.id));

  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refresh = useCallback(() => {
    if (timer.current !== null) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      refetchActive({ requestPolicy: 'network-only' });
      refetchRecent({ requestPolicy: 'network-only' });
    }, REFRESH_MS);
  }, [refetchActive, refetchRecent]);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  useEffect(() => {
    if (reconnects > 0) refresh();
  }, [reconnects, refresh]);
  const onEvent = useCallback(
    (_previous: unknown, event: { failoverEvents: FailoverEventFieldsFragment }) => {
      if (!known.current.has(event.failoverEvents.operationId) || event.failoverEvents.final) refresh();
      return event;
    },
    [refresh],
  );
  useSubscription({ query: FailoverEventsDocument, variables: {} }, onEvent);

  // An operation that just ended keeps its place (its bar at its final state) until the lists are read again.
  const error = active.error ?? recent.error;
  return (
    <>
      <h1>Operations</h1>
      {error ? <RequestError error={error} /> : null}
      <OperationsChart operations={[...running, ...ended]} />
      <section aria-labelledby="active-heading">
        <h2 id="active-heading">Running now ({running.filter((operation) => operation.active).length})</h2>
        {active.data && running.length === 0 ? <p className="muted">No operation is running.</p> : null}
        <OperationList operations={running} />
      </section>
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent</h2>
        {recent.data && ended.length === 0 ? <p className="muted">No operation has ended yet.</p> : null}
        <OperationList operations={ended} />
      </section>
    </>
  );
}

function OperationList({ operations }: { operations: ConsoleOperationFieldsFragment[] }) {
  return (
    <ul className="operation-list">
      {operations.map((operation) => (
        <OperationRow key={operation.id} operation={operation} />
      ))}
    </ul>
  );
}

/**
 * One row, drawn again only when its operation changed: the cache keeps the
 * objects of unchanged operations, so an event redraws one row, not hundreds.
 */
const OperationRow = memo(function OperationRow({ operation }: { operation: ConsoleOperationFieldsFragment }) {
  return (
    <li data-testid="operation-row">
      <div className="operation-list__head">
        <Link href={paths.operation(operation.id)}>{operation.replicaName}</Link>
        <span data-testid="operation-action">{ACTION_LABELS[operation.action].title}</span>
        <span className="muted">
          {KIND_LABELS[operation.kind]} · {operation.initiator} · {formatDateTime(operation.createdAt)}
        </span>
      </div>
      <ProgressBar value={operation.progress} state={operation.state} label={operationTitle(operation.action, operation.replicaName)} />
    </li>
  );
});
