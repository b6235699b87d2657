import { useDeferredValue, useId, useState } from 'react';
import { useQuery } from 'urql';
import { ContainersDocument, type ContainerRowFragment } from '../generated/graphql';
import { containerTypeLabel, hasChildren, scopeItemName } from '../lib/containers';
import { RequestError } from './ErrorPanel';

/** Enough for any one level of a hierarchy or one search; past it the person narrows the search. */
const PAGE = 100;

export interface PickedContainer {
  ref: string;
  name: string;
}

interface Props {
  /** Refs already in the scope: shown as added. */
  selected: ReadonlySet<string>;
  onAdd(container: PickedContainer): void;
}

/**
 * Picks restore-scope items from every backup server's hierarchy through the
 * `containers` query: by name (a search over all of them), or by walking the
 * tree from the vCenters and Cloud Director systems down. Each container says
 * how many replicas naming it would grant; one with none cannot be added (the
 * gateway refuses such a ref).
 */
export function ContainerPicker({ selected, onAdd }: Props) {
  const searchId = useId();
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search.trim());
  return (
    <div className="picker">
      <div className="field">
        <label htmlFor={searchId}>Find a container by name</label>
        <input id={searchId} type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Cluster, folder, tag, org VDC…" />
      </div>
      <div className="picker__list" data-testid="container-picker">
        {deferred ? (
          <ContainerLevel variables={{ search: deferred, first: PAGE }} selected={selected} onAdd={onAdd} label={`Containers named like “${deferred}”`} flat />
        ) : (
          <ContainerLevel variables={{ topLevel: true, first: PAGE }} selected={selected} onAdd={onAdd} label="Backup servers’ hierarchies" />
        )}
      </div>
    </div>
  );
}

interface LevelProps {
  variables: { search?: string; parentRef?: string; backupServer?: string; topLevel?: boolean; first: number };
  selected: ReadonlySet<string>;
  onAdd(container: PickedContainer): void;
  label: string;
  /** Search results: no tree below them (their path is in their own hierarchy). */
  flat?: boolean;
}

function ContainerLevel({ variables, selected, onAdd, label, flat = false }: LevelProps) {
  const [{ data, fetching, error }] = useQuery({ query: ContainersDocument, variables });
  if (error) return <RequestError error={error} />;
  if (!data) return fetching ? <p aria-busy="true">Loading…</p> : null;
  const { edges, totalCount, pageInfo } = data.containers;
  return (
    <>
      {edges.length === 0 ? <p className="muted">{variables.search ? 'No container has that in its name.' : 'Nothing below it.'}</p> : null}
      <ul className="container-tree" aria-label={label}>
        {edges.map(({ node }) => (
          <ContainerItem key={`${node.backupServer.id} ${node.ref}`} container={node} selected={selected} onAdd={onAdd} flat={flat} />
        ))}
      </ul>
      {pageInfo.hasNextPage ? (
        <p className="muted">
          {edges.length} of {totalCount} shown: search by name to find the others.
        </p>
      ) : null}
    </>
  );
}

function ContainerItem({ container, selected, onAdd, flat }: { container: ContainerRowFragment; selected: ReadonlySet<string>; onAdd(picked: PickedContainer): void; flat: boolean }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const added = selected.has(container.ref);
  const empty = container.replicaCount === 0;
  const where = `${containerTypeLabel(container.type)}, ${container.backupServer.name}`;
  const expandable = !flat && hasChildren(container.type);
  return (
    <li data-ref={container.ref} data-testid="container">
      <div className="container-tree__row">
        {expandable ? (
          <button
            type="button"
            className="container-tree__toggle"
            aria-expanded={open}
            aria-controls={open ? listId : undefined}
            aria-label={`What is in ${container.name} (${where})`}
            onClick={() => setOpen(!open)}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="container-tree__toggle" aria-hidden="true" />
        )}
        <span className="container-tree__name">
          {container.name} <span className="muted">· {where}</span>
        </span>
        <span className="container-tree__count">
          {container.replicaCount} replica{container.replicaCount === 1 ? '' : 's'}
        </span>
        <button
          type="button"
          className="button button--small button--quiet"
          disabled={added || empty}
          title={empty ? 'No replica carries it: it cannot be a restore scope item' : undefined}
          onClick={() => onAdd({ ref: container.ref, name: scopeItemName(container) })}
        >
          {added ? 'Added' : 'Add'}
          <span className="visually-hidden">
            {' '}
            {container.name} ({where})
          </span>
        </button>
      </div>
      {open ? (
        <div id={listId}>
          <ContainerLevel
            variables={{ parentRef: container.ref, backupServer: container.backupServer.id, first: PAGE }}
            selected={selected}
            onAdd={onAdd}
            label={`In ${container.name}`}
          />
        </div>
      ) : null}
    </li>
  );
}
