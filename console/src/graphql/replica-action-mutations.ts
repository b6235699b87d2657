import type { Client, CombinedError, AnyVariables } from '@urql/core';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  CommitFailbackDocument,
  FailbackDocument,
  PermanentFailoverDocument,
  PlannedFailoverDocument,
  SwitchToProductionDocument,
  UndoFailbackDocument,
  UndoFailoverDocument,
  type FailbackInput,
  type ReplicaActionInput,
  type ReplicaActionResultFragment,
} from '../generated/graphql';

export type ActionPayload = ReplicaActionResultFragment;

/** The actions after a failover that take a `ReplicaActionInput` (all but failback, which says where and when). */
export type PlainAction = 'PLANNED_FAILOVER' | 'UNDO_FAILOVER' | 'PERMANENT_FAILOVER' | 'SWITCH_TO_PRODUCTION' | 'COMMIT_FAILBACK' | 'UNDO_FAILBACK';

/** One action's request: its input, and the idempotency key of the confirmation (none for a dry run). */
export type ActionRequest = { action: PlainAction; input: ReplicaActionInput } | { action: 'FAILBACK'; input: FailbackInput };

export interface ActionAnswer {
  payload: ActionPayload | null;
  error: CombinedError | undefined;
}

async function run<Data, Variables extends AnyVariables>(
  client: Client,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  pick: (data: Data) => ActionPayload,
): Promise<ActionAnswer> {
  // Mutations are never cached; network-only says so to anyone reading this.
  const result = await client.mutation(document, variables, { requestPolicy: 'network-only' }).toPromise();
  return { payload: result.data ? pick(result.data) : null, error: result.error };
}

/** Sends one replica action through its own mutation, and reads its payload the same way for all of them. */
export function sendReplicaAction(client: Client, request: ActionRequest, idempotencyKey: string | null): Promise<ActionAnswer> {
  switch (request.action) {
    case 'FAILBACK':
      return run(client, FailbackDocument, { input: request.input, idempotencyKey }, (data) => data.failback);
    case 'PLANNED_FAILOVER':
      return run(client, PlannedFailoverDocument, { input: request.input, idempotencyKey }, (data) => data.plannedFailover);
    case 'UNDO_FAILOVER':
      return run(client, UndoFailoverDocument, { input: request.input, idempotencyKey }, (data) => data.undoFailover);
    case 'PERMANENT_FAILOVER':
      return run(client, PermanentFailoverDocument, { input: request.input, idempotencyKey }, (data) => data.permanentFailover);
    case 'SWITCH_TO_PRODUCTION':
      return run(client, SwitchToProductionDocument, { input: request.input, idempotencyKey }, (data) => data.switchToProduction);
    case 'COMMIT_FAILBACK':
      return run(client, CommitFailbackDocument, { input: request.input, idempotencyKey }, (data) => data.commitFailback);
    case 'UNDO_FAILBACK':
      return run(client, UndoFailbackDocument, { input: request.input, idempotencyKey }, (data) => data.undoFailback);
  }
}
