import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { Prisma } from '../generated/prisma/client.js';
import { BACKUP_SERVER_COLUMNS } from './backup-server-columns.js';
import type { ReplicaPageSelect } from './replica-page.js';

/**
 * The `Replica` columns each GraphQL field of a replica reads. A page loads
 * only the columns its query asks for: a replica row is over a kilobyte (its
 * hierarchy refs, hashes, job and policy ids), and reading and decoding 51
 * full rows was most of a scoped page's database time (profile in docs/reads.md).
 */
const COLUMNS_OF_FIELD: Record<string, readonly (keyof Prisma.ReplicaSelect)[]> = {
  __typename: ['kind'],
  id: ['id', 'kind'],
  kind: ['kind'],
  name: ['name'],
  platform: ['platform'],
  state: ['state'],
  emKey: ['emKey'],
  objectRef: ['objectRef'],
  hierarchyRefs: ['refs'],
  syncedAt: ['syncedAt'],
  backupServer: ['backupServerId', 'backupServer'],
  jobName: ['jobName'],
  memberVmRefs: ['memberVmRefs'],
  policyName: ['policyName'],
  hasApplicationConsistentState: ['hasApplicationConsistentState'],
  // The policy's facts (kind, server), the state and what the kind's upstream supports (platform).
  allowedActions: ['kind', 'platform', 'state', 'backupServerId'],
  // Children are loaded by the replica's id.
  restorePoints: [],
  shortTermRanges: [],
  longTermPoints: [],
};

/** Read with the page, so that its servers cost no statement of their own; every other key is a column. */
const RELATIONS: Partial<Record<keyof Prisma.ReplicaSelect, ReplicaPageSelect[keyof ReplicaPageSelect]>> = {
  backupServer: { select: BACKUP_SERVER_COLUMNS },
};

/** Always read: the keyset (name, id) and what picks the GraphQL type (kind). */
const ALWAYS: readonly (keyof Prisma.ReplicaSelect)[] = ['id', 'kind', 'name'];

/**
 * The Prisma `select` for the replicas of a connection field (`edges { node { … } }`),
 * or undefined (every column) when the query asks for a field this table does not know.
 */
export function replicaSelect(info: GraphQLResolveInfo): ReplicaPageSelect | undefined {
  const columns = new Set<keyof Prisma.ReplicaSelect>(ALWAYS);
  const node: SelectionSetNode[] = [];
  for (const field of info.fieldNodes) {
    for (const edges of fieldsNamed(field.selectionSet, 'edges', info.fragments)) {
      for (const nodeField of fieldsNamed(edges.selectionSet, 'node', info.fragments)) if (nodeField.selectionSet) node.push(nodeField.selectionSet);
    }
  }
  for (const selectionSet of node) {
    for (const field of fieldsOf(selectionSet, info.fragments)) {
      const needed = COLUMNS_OF_FIELD[field.name.value];
      if (!needed) return undefined;
      for (const column of needed) columns.add(column);
    }
  }
  return Object.fromEntries([...columns].map((column) => [column, RELATIONS[column] ?? true]));
}

type FieldNode = { name: { value: string }; selectionSet?: SelectionSetNode };

/** The fields of a selection set, through fragments and inline fragments. */
function fieldsOf(selectionSet: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  if (!selectionSet) return [];
  return selectionSet.selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, fragments);
    return fieldsOf(fragments[selection.name.value]?.selectionSet, fragments);
  });
}

function fieldsNamed(selectionSet: SelectionSetNode | undefined, name: string, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  return fieldsOf(selectionSet, fragments).filter((field) => field.name.value === name);
}
