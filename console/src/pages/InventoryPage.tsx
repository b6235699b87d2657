import { useDeferredValue, useId, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { RequestError } from '../components/ErrorPanel';
import { Pager } from '../components/Pager';
import { ReplicaStateBadge } from '../components/StateBadge';
import {
  InventoryBackupServersDocument,
  InventoryReplicasDocument,
  type LicenseEdition,
  type ReplicaAction,
  type ReplicaFilter,
  type ReplicaKind,
} from '../generated/graphql';
import { formatAge } from '../lib/format';
import { ACTION_LABELS, EDITION_LABELS, EDITIONS, KIND_LABELS, KINDS, REPLICA_STATES } from '../lib/labels';
import { usePageTitle } from '../lib/use-page-title';
import { paths } from '../routes';

const PAGE_SIZE = 20;

type Page = { after?: string; before?: string };

export function InventoryPage() {
  usePageTitle('Inventory');
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<ReplicaKind | ''>('');
  const [state, setState] = useState('');
  const [server, setServer] = useState('');
  const [edition, setEdition] = useState<LicenseEdition | ''>('');
  const [page, setPage] = useState<Page>({});
  const deferredSearch = useDeferredValue(search.trim());
  const ids = { search: useId(), kind: useId(), state: useId(), server: useId(), edition: useId() };

  const filter = useMemo<ReplicaFilter>(
    () => ({
      ...(deferredSearch ? { search: deferredSearch } : {}),
      ...(kind ? { kinds: [kind] } : {}),
      ...(state ? { states: [state] } : {}),
      ...(server ? { backupServerId: server } : {}),
      ...(edition ? { editions: [edition] } : {}),
    }),
    [deferredSearch, kind, state, server, edition],
  );
  const variables = page.before ? { filter, last: PAGE_SIZE, before: page.before } : { filter, first: PAGE_SIZE, after: page.after };
  // Read again on every visit: states and what may be done change as operations end.
  const [replicas] = useQuery({ query: InventoryReplicasDocument, variables, requestPolicy: 'cache-and-network' });
  const [servers] = useQuery({ query: InventoryBackupServersDocument });
  const change = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setPage({});
  };

  const connection = replicas.data?.replicas;
  const serverList = servers.data?.backupServers.edges.map((edge) => edge.node) ?? [];
  return (
    <>
      <h1>Inventory</h1>
      <section aria-labelledby="replicas-heading">
        <h2 id="replicas-heading">Replicas you may see</h2>
        <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
          <div className="field">
            <label htmlFor={ids.search}>Search by name</label>
            <input id={ids.search} type="search" value={search} onChange={(event) => change(setSearch)(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.kind}>Kind</label>
            <select id={ids.kind} value={kind} onChange={(event) => change(setKind)(event.target.value as ReplicaKind | '')}>
              <option value="">All kinds</option>
              {KINDS.map((value) => (
                <option key={value} value={value}>
                  {KIND_LABELS[value]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.state}>State</label>
            <select id={ids.state} value={state} onChange={(event) => change(setState)(event.target.value)}>
              <option value="">All states</option>
              {REPLICA_STATES.map((value) => (
                <option key={value}>{value}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.server}>Backup server</label>
            <select id={ids.server} value={server} onChange={(event) => change(setServer)(event.target.value)}>
              <option value="">All servers</option>
              {serverList.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.edition}>Edition</label>
            <select id={ids.edition} value={edition} onChange={(event) => change(setEdition)(event.target.value as LicenseEdition | '')}>
              <option value="">All editions</option>
              {EDITIONS.map((value) => (
                <option key={value} value={value}>
                  {EDITION_LABELS[value]}
                </option>
              ))}
            </select>
          </div>
        </form>
        {replicas.error ? <RequestError error={replicas.error} /> : null}
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Replicas">
          <table className="table table--stacked" aria-busy={replicas.fetching}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Backup server</th>
                <th scope="col">You may</th>
              </tr>
            </thead>
            <tbody>
              {connection?.edges.map(({ node }) => (
                <tr key={node.id} data-testid="replica-row">
                  <th scope="row">
                    <Link href={paths.replica(node.id)}>{node.name}</Link>
                  </th>
                  <td>{KIND_LABELS[node.kind]}</td>
                  <td>
                    <ReplicaStateBadge state={node.state} />
                  </td>
                  <td>
                    {node.backupServer.name} <span className="muted">({EDITION_LABELS[node.backupServer.edition]})</span>
                  </td>
                  <td>
                    <AllowedActions replica={node} />
                  </td>
                </tr>
              ))}
              {connection && connection.edges.length === 0 ? (
                <tr>
                  <td colSpan={5}>No replica matches: nothing you may see has these properties.</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        {connection ? (
          <Pager
            hasPrevious={connection.pageInfo.hasPreviousPage}
            hasNext={connection.pageInfo.hasNextPage}
            onPrevious={() => setPage({ before: connection.pageInfo.startCursor ?? undefined })}
            onNext={() => setPage({ after: connection.pageInfo.endCursor ?? undefined })}
            summary={`${connection.totalCount} replica${connection.totalCount === 1 ? '' : 's'}`}
          />
        ) : null}
      </section>
      <section aria-labelledby="servers-heading">
        <h2 id="servers-heading">Backup servers</h2>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Backup servers">
          <table className="table table--stacked">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Edition</th>
                <th scope="col">Failover</th>
                <th scope="col">Inventory synced</th>
              </tr>
            </thead>
            <tbody>
              {serverList.map((item) => (
                <tr key={item.id}>
                  <th scope="row">{item.name}</th>
                  <td>{EDITION_LABELS[item.edition]}</td>
                  <td>{item.canFailOver ? 'Allowed' : 'Not with this edition'}</td>
                  <td>
                    {item.stale ? (
                      <span className="badge badge--warn" title={item.lastSyncError ?? undefined}>
                        Stale: last sync failed {formatAge(item.lastSyncFailedAt)}
                      </span>
                    ) : (
                      formatAge(item.lastSyncedAt)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/**
 * A row's "You may": exactly the actions the API lists for the caller on this
 * replica now (`allowedActions`), each a link to the replica page where it is
 * done: failover to its flow, the others to their dialog.
 */
function AllowedActions({ replica }: { replica: { id: string; name: string; allowedActions: readonly ReplicaAction[] } }) {
  if (replica.allowedActions.length === 0) return <span className="muted">Nothing now</span>;
  return (
    <span className="row-actions">
      {replica.allowedActions.map((action) => (
        <Link
          key={action}
          href={action === 'FAILOVER' ? `${paths.replica(replica.id)}#failover` : paths.replicaAction(replica.id, action)}
          className={`button button--small${action === 'FAILOVER' ? '' : ' button--quiet'}`}
        >
          {ACTION_LABELS[action].button}
          <span className="visually-hidden"> {replica.name}</span>
        </Link>
      ))}
    </span>
  );
}
