import type { ErrorCode } from '../generated/graphql';

export interface ErrorWords {
  title: string;
  next: string;
}

/** What each refusal means for the person at the console, and what to do next. */
export const ERROR_WORDS: Record<ErrorCode, ErrorWords> = {
  ACTION_NOT_SUPPORTED: {
    title: 'No API offers this action for this kind of replica',
    next: 'Only VMware vSphere VM replicas have undo, permanent failover and failback through an API. Do it in the Veeam Backup & Replication console.',
  },
  BAD_USER_INPUT: { title: 'Something in the request is not right', next: 'Correct the field named below and try again.' },
  EDITION_NOT_SUPPORTED: {
    title: 'This backup server’s license does not allow failover',
    next: 'Failover needs Enterprise or Enterprise Plus. Fail over from a server with that edition, or ask the backup team to upgrade the license.',
  },
  FAILOVER_IN_PROGRESS: { title: 'A failover of this replica is already running', next: 'Follow the running operation instead of starting another.' },
  FORBIDDEN: {
    title: 'You may see this replica but not fail it over',
    next: 'Your accounts do not allow this kind of failover. Ask a portal administrator to add it to your account.',
  },
  IDEMPOTENCY_KEY_REUSED: { title: 'This confirmation was already used for a different request', next: 'Start again from the dry run: a new confirmation gets a new key.' },
  INVALID_RESTORE_TARGET: {
    title: 'The restore point or moment is not in the replica’s history',
    next: 'Pick a restore point from the list, or a moment inside the shaded ranges of the timeline.',
  },
  NOT_FOUND: { title: 'No such replica, or it is outside your restore scope', next: 'Go back to the inventory: it lists every replica you may act on.' },
  REPLICA_NOT_READY: {
    title: 'The replica is not ready in Enterprise Manager',
    next: 'Wait until its state is Ready (a running job or failover must end first), then try again.',
  },
  UNAUTHENTICATED: { title: 'You are not signed in any more', next: 'Sign in again.' },
  UPSTREAM_REJECTED: { title: 'Enterprise Manager refused the failover', next: 'Nothing was started. Read Enterprise Manager’s words below; fix the cause on the backup server, then try again.' },
  UPSTREAM_UNAVAILABLE: {
    title: 'Enterprise Manager could not be reached',
    next: 'Nothing was started. Try again in a moment: the same confirmation is safe to retry.',
  },
  WRONG_REPLICA_STATE: {
    title: 'The replica’s state does not allow this now',
    next: 'Its state changed since the page read it; the page now offers what you may do. Choose one of those, or wait until a running job or operation ends.',
  },
};

/**
 * The same refusals for the actions after a failover, which go to the backup
 * server's REST API instead of Enterprise Manager, where their words differ.
 */
export const LIFECYCLE_ERROR_WORDS: Partial<Record<ErrorCode, ErrorWords>> = {
  EDITION_NOT_SUPPORTED: {
    title: 'This backup server’s license does not allow this action',
    next: 'Actions after a failover need Veeam Backup & Replication Standard, Enterprise or Enterprise Plus. Ask the backup team to license the server, or act in the Veeam console.',
  },
  FAILOVER_IN_PROGRESS: { title: 'Another operation on this replica is running', next: 'Follow it; act again once it has ended.' },
  FORBIDDEN: {
    title: 'You may see this replica but not do this to it',
    next: 'Permanent failover and the failback actions belong to Portal Administrators and to accounts granted them. Ask a portal administrator.',
  },
  UPSTREAM_REJECTED: {
    title: 'The backup server refused the action',
    next: 'Nothing was started. Read the backup server’s words below; fix the cause there, then try again.',
  },
  UPSTREAM_UNAVAILABLE: {
    title: 'The backup server could not be reached',
    next: 'Nothing was started. Try again in a moment: the same confirmation is safe to retry.',
  },
};
