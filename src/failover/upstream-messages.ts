/**
 * What a caller is told when Enterprise Manager fails or refuses: words a
 * portal can show. EM's own error (its URL, path, status and body) never goes
 * into them: the service writes it to the request's log line, and the caller
 * gets the request id to find that line.
 */
export const UPSTREAM_MESSAGE = {
  unavailable: 'Enterprise Manager is unavailable; nothing was started',
  signIn: 'The gateway could not sign in to Enterprise Manager; nothing was started',
  gone: 'Enterprise Manager no longer knows this replica or restore point',
  describeRefused: 'Enterprise Manager refused to describe the target; nothing was started',
  accountRefused: "Enterprise Manager refused the failover for the gateway's EM account; nothing was started",
  failoverRefused: 'Enterprise Manager refused the failover; nothing was started',
  notReady: 'Enterprise Manager refused the failover: the replica is not in a state that allows it; nothing was started',
  targetRefused: 'Enterprise Manager refused the restore target; nothing was started',
  outcomeUnknown: 'Enterprise Manager did not answer the failover; it may have started: the gateway finds out from EM and never sends it again',
  dispatchFailed: 'The gateway failed while sending the failover; it may have started: the gateway finds out from EM and never sends it again',
} as const;
