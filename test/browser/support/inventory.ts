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
export async function operationsOf(
  gateway: TestGateway,
  replicaId: string,
): Promise<Array<{ id: string; action: string; reason: string | null; state: string; lastSequence: number; cdpTarget: string | null; cdpPointInTime: string | null }>> {
  const token = await mintDevToken(gateway.config, { subject: 'admin', groups: [] });
  const { json } = await postGraphQL(
    gateway.url,
    {
      query: 'query($id: ID!) { failoverOperations(first: 50, filter: { replicaId: $id }) { edges { node { id action reason state lastSequence cdpTarget cdpPointInTime } } } }',
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

async function asAccount(gateway: TestGateway, account: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const token = await mintDevToken(gateway.config, { subject: account, groups: [] });
  const { json } = await postGraphQL(gateway.url, { query, variables }, { authorization: `Bearer ${token}` });
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json.data;
}

/** A replica's state and what the account may do to it now, as the API says (null: it sees no such replica). */
export async function replicaNow(gateway: TestGateway, account: string, replicaId: string): Promise<{ state: string | null; allowedActions: string[] } | null> {
  const data = await asAccount(gateway, account, 'query($id: ID!) { node(id: $id) { ... on Replica { state allowedActions } } }', { id: replicaId });
  return data.node;
}

/** VM replicas the account may fail over now that also have the later actions (their backup server's REST API offers them). */
export async function lifecycleCandidates(gateway: TestGateway, account: string): Promise<ReplicaSummary[]> {
  const data = await asAccount(gateway, account, '{ replicas(first: 500, filter: { kinds: [VM_REPLICA], states: ["Ready"] }) { edges { node { id name kind state allowedActions backupServer { canFailOver } } } } }');
  return data.replicas.edges
    .map(({ node }: { node: ReplicaSummary & { allowedActions: string[]; backupServer: { canFailOver: boolean } } }) => ({ ...node, canFailOver: node.backupServer.canFailOver }))
    .filter((node: ReplicaSummary & { allowedActions: string[] }) => node.allowedActions.includes('FAILOVER') && node.allowedActions.includes('PLANNED_FAILOVER'));
}

/** Waits until the operation has ended, and answers its state. */
export async function operationEnded(gateway: TestGateway, operationId: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const data = await asAccount(gateway, 'admin', 'query($id: ID!) { failoverOperation(id: $id) { state active } }', { id: operationId });
    if (data.failoverOperation && !data.failoverOperation.active) return data.failoverOperation.state as string;
    if (Date.now() > deadline) throw new Error(`operation ${operationId} did not end in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Fails a VM replica over through the API and waits until it has (the replica is then in Failover). */
export async function failedOverVm(gateway: TestGateway, account: string, replicaId: string): Promise<void> {
  const state = await operationEnded(gateway, await startVmFailover(gateway, account, replicaId, 'set up by the test'));
  if (state !== 'SUCCEEDED') throw new Error(`the failover of ${replicaId} ended ${state}`);
}

/** Fails a CDP VM over to its latest crash-consistent state through the API and waits until it has. */
export async function failedOverCdp(gateway: TestGateway, account: string, replicaId: string): Promise<void> {
  const data = await asAccount(
    gateway,
    account,
    'mutation($input: FailoverInput!) { failover(input: $input) { __typename ... on FailoverStarted { operation { id } } ... on Error { message } } }',
    { input: { cdpVmReplica: { replicaId, target: { latestCrashConsistent: true }, reason: 'set up by the test' } } },
  );
  if (data.failover.__typename !== 'FailoverStarted') throw new Error(`CDP failover refused: ${JSON.stringify(data)}`);
  const state = await operationEnded(gateway, data.failover.operation.id);
  if (state !== 'SUCCEEDED') throw new Error(`the CDP failover of ${replicaId} ended ${state}`);
}

/** Undoes a VM replica's failover through the API and waits until it has. */
export async function undoneThroughApi(gateway: TestGateway, account: string, replicaId: string): Promise<void> {
  const data = await asAccount(
    gateway,
    account,
    'mutation($input: ReplicaActionInput!) { undoFailover(input: $input) { __typename ... on ReplicaActionStarted { operation { id } } ... on Error { message } } }',
    { input: { replicaId, reason: 'from another portal' } },
  );
  if (data.undoFailover.__typename !== 'ReplicaActionStarted') throw new Error(`undo refused: ${JSON.stringify(data)}`);
  await operationEnded(gateway, data.undoFailover.operation.id);
}

/** The containers of every backup server, as the administrator's picker reads them. */
export async function containers(gateway: TestGateway, search: string): Promise<Array<{ ref: string; name: string; type: string; replicaCount: number; backupServer: { name: string } }>> {
  const data = await asAccount(gateway, 'admin', 'query($search: String) { containers(search: $search, first: 200) { edges { node { ref name type replicaCount backupServer { name } } } } }', { search });
  return data.containers.edges.map((edge: { node: unknown }) => edge.node);
}

/** Replicas whose hierarchy includes the ref, as the administrator sees them. */
export async function replicasUnder(gateway: TestGateway, ref: string): Promise<Array<{ id: string; name: string }>> {
  const data = await asAccount(gateway, 'admin', '{ replicas(first: 500) { edges { node { id name hierarchyRefs } } } }');
  return data.replicas.edges
    .map((edge: { node: { id: string; name: string; hierarchyRefs: string[] } }) => edge.node)
    .filter((node: { hierarchyRefs: string[] }) => node.hierarchyRefs.includes(ref))
    .map(({ id, name }: { id: string; name: string }) => ({ id, name }));
}
