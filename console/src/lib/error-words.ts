import type { ErrorCode } from '../generated/graphql';

/** What each refusal means for the person at the console, and what to do next. */
export const ERROR_WORDS: Record<ErrorCode, { title: string; next: string }> = {
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
};
