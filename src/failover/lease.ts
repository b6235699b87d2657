/** How long an instance owns a failover operation without renewing it, and what to tell the operator about it. */
export interface FailoverLease {
  ms: number;
  /** Set when the configured lease is too short for a dispatch: the start-up log says so. */
  warning?: string;
}

/**
 * A dispatch holds its operation's lease for at most one EM call plus logging
 * on again, two EM timeouts: the lease must outlast it, or another instance
 * would take the operation for abandoned while it is being sent. Unset, the
 * lease is the larger of 30 s and that plus 10 s. A shorter configured lease
 * is kept (tests of takeover want one), with a warning: an operation taken
 * over mid-dispatch is reconciled from EM's sessions, never sent again, so it
 * costs a late answer, not a second failover.
 */
export function failoverLease(settings: { failoverLeaseSeconds?: number; emTimeoutMs: number }): FailoverLease {
  const dispatchMs = 2 * settings.emTimeoutMs;
  const defaultMs = Math.max(30_000, dispatchMs + 10_000);
  if (settings.failoverLeaseSeconds === undefined) return { ms: defaultMs };
  const ms = settings.failoverLeaseSeconds * 1000;
  if (ms > dispatchMs) return { ms };
  return {
    ms,
    warning:
      `FAILOVER_LEASE_SECONDS=${settings.failoverLeaseSeconds} does not outlast a dispatch (two EM calls of EM_TIMEOUT_MS=${settings.emTimeoutMs}): ` +
      `another instance may take a failover over while it is being sent, and then has to reconcile it from EM's sessions. ` +
      `Set it above ${Math.ceil(dispatchMs / 1000)}, or leave it unset (${Math.ceil(defaultMs / 1000)} s).`,
  };
}
