import { Kind, parse, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BACKUP_SERVER_COLUMNS } from '../../../src/graphql/backup-server-columns.js';
import { replicaSelect } from '../../../src/graphql/replica-columns.js';

/** The resolve info of the first root field of a document, as far as replicaSelect reads it. */
function infoOf(document: string): GraphQLResolveInfo {
  const parsed = parse(document);
  const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const field = operation.selectionSet.selections[0]!;
  return { fieldNodes: [field], fragments } as unknown as GraphQLResolveInfo;
}

const columns = (document: string) => {
  const select = replicaSelect(infoOf(document));
  return select && Object.keys(select).sort();
};

describe('replicaSelect', () => {
  it('reads the keyset and kind, plus the columns of the fields asked for', () => {
    expect(columns('{ replicas { edges { cursor node { state } } pageInfo { hasNextPage } } }')).toEqual(['id', 'kind', 'name', 'state']);
    expect(columns('{ replicas { edges { node { id objectRef backupServer { name } hierarchyRefs } } } }')).toEqual(
      ['backupServer', 'backupServerId', 'id', 'kind', 'name', 'objectRef', 'refs'],
    );
  });

  it('reads a replica\'s backup server with the page, in the columns its type reads', () => {
    const select = replicaSelect(infoOf('{ replicas { edges { node { backupServer { name } } } } }'));
    expect(select?.backupServer).toEqual({ select: BACKUP_SERVER_COLUMNS });
    // The allowed actions need the server's id, not its row.
    expect(replicaSelect(infoOf('{ replicas { edges { node { allowedActions } } } }'))?.backupServer).toBeUndefined();
  });

  it('follows fragment spreads and inline fragments, aliases included', () => {
    const document = `
      { replicas { edges { node { ...Row ... on VcdVAppReplica { members: memberVmRefs } } } } }
      fragment Row on Replica { platform ... on VmReplica { jobName restorePoints { totalCount } } }`;
    expect(columns(document)).toEqual(['id', 'jobName', 'kind', 'memberVmRefs', 'name', 'platform']);
  });

  it('reads what the allowed actions are judged on: the policy\'s facts, the state and the platform', () => {
    expect(columns('{ replicas { edges { node { allowedActions } } } }')).toEqual(['backupServerId', 'id', 'kind', 'name', 'platform', 'state']);
  });

  it('reads every column when a field is not in its table', () => {
    expect(columns('{ replicas { edges { node { name somethingNew } } } }')).toBeUndefined();
  });

  it('reads only the keyset and kind for a count', () => {
    expect(columns('{ replicas { totalCount } }')).toEqual(['id', 'kind', 'name']);
  });
});
