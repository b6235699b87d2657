/**
 * What a caller is told when a backup server's REST API fails or refuses, in
 * words a portal can show. The server's own error goes to the request's log
 * line only (the caller gets the request id to find it).
 */
export const VBR_MESSAGE = {
  noAccess: (server: string) =>
    `The gateway has no access to backup server ${server}'s REST API: add it to VBR_SERVERS (actions after failover go through it); nothing was started`,
  unmatched: (server: string) =>
    `Backup server ${server}'s REST API lists no replica the inventory sync could match to this one: run an inventory sync, or see \`failover-gateway doctor\`; nothing was started`,
  noPoint: 'The backup server lists no replica point of this VM any more; nothing was started',
  gone: 'The backup server no longer knows this replica or its point; nothing was started',
  readRefused: 'The backup server refused to describe the replica; nothing was started',
  signIn: 'The gateway could not sign in to the backup server; nothing was started',
  unavailable: 'The backup server is unavailable; nothing was started',
  accountRefused: (action: string) => `The backup server refused the ${action} for the gateway's account; nothing was started`,
  refused: (action: string) => `The backup server refused the ${action}; nothing was started`,
  outcomeUnknown: 'The backup server did not answer; the action may have started: the gateway finds out from its sessions and never sends it again',
  noSession: 'The backup server accepted the request but named no session; the gateway finds it from its sessions and never sends it again',
} as const;
