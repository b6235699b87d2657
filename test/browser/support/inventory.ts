import { mintDevToken } from '../../../src/auth/index.js';
import { postGraphQL, type TestGateway } from '../../support/gateway.js';

export interface ReplicaSummary {
  id: string;
  name: string;
  kind: string;
  state: string | null;
  canFailOver: boolean;
}

/** Every replica a demo account may see, read through the API (what the console must show, no more). */
export async function visibleReplicas(gateway: TestGateway, account: string): Promise<ReplicaSummary[]> {
  const token = await mintDevToken(gateway.config, { subject: account, groups: [] });
  const { json } = await postGraphQL(
    gateway.url,
    { query: '{ replicas(first: 500) { edges { node { id name kind state backupServer { canFailOver } } } } }' },
    { authorization: `Bearer ${token}` },
  );
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json.data.replicas.edges.map(({ node }: { node: { id: string; name: string; kind: string; state: string | null; backupServer: { canFailOver: boolean } } }) => ({
    id: node.id,
    name: node.name,
    kind: node.kind,
    state: node.state,
    canFailOver: node.backupServer.canFailOver,
  }));
}

/** Replicas of a kind the account may fail over now (Ready or of a state the sync did not learn, on a server whose edition allows it). */
export async function failoverCandidates(gateway: TestGateway, account: string, kind: string): Promise<ReplicaSummary[]> {
  return (await visibleReplicas(gateway, account)).filter(
    (replica) => replica.kind === kind && (replica.state === 'Ready' || replica.state === null) && replica.canFailOver,
  );
}

/** The failover operations of a replica, as the administrator sees them. */
export async function operationsOf(gateway: TestGateway, replicaId: string): Promise<Array<{ id: string; reason: string | null; state: string; lastSequence: number; cdpTarget: string | null; cdpPointInTime: string | null }>> {
  const token = await mintDevToken(gateway.config, { subject: 'admin', groups: [] });
  const { json } = await postGraphQL(
    gateway.url,
    {
      query: 'query($id: ID!) { failoverOperations(first: 50, filter: { replicaId: $id }) { edges { node { id reason state lastSequence cdpTarget cdpPointInTime } } } }',
      variables: { id: replicaId },
    },
    { authorization: `Bearer ${token}` },
  );
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json.data.failoverOperations.edges.map((edge: { node: unknown }) => edge.node);
}

/** Fails a VM replica over to its newest restore point through the API, as another portal would. */
export async function startVmFailover(gateway: TestGateway, account: string, replicaId: string, reason: string): Promise<string> {
  const headers = { authorization: `Bearer ${await mintDevToken(gateway.config, { subject: account, groups: [] })}` };
  const points = await postGraphQL(
    gateway.url,
    { query: 'query($id: ID!) { node(id: $id) { ... on VmReplica { restorePoints(first: 1) { edges { node { id } } } } } }', variables: { id: replicaId } },
    headers,
  );
  const restorePointId = points.json.data?.node?.restorePoints?.edges[0]?.node.id;
  if (!restorePointId) throw new Error(`replica ${replicaId} has no restore point: ${JSON.stringify(points.json)}`);
  const { json } = await postGraphQL(
    gateway.url,
    {
      query: 'mutation($input: FailoverInput!) { failover(input: $input) { __typename ... on FailoverStarted { operation { id } } ... on Error { message } } }',
      variables: { input: { vmReplica: { restorePointId, reason } } },
    },
    headers,
  );
  if (json.data?.failover?.__typename !== 'FailoverStarted') throw new Error(`failover refused: ${JSON.stringify(json)}`);
  return json.data.failover.operation.id as string;
}
