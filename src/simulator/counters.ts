/** Calls per endpoint, counted on arrival (before faults), so a dropped or hung call still counts. */
export interface CallCounters {
  total: number;
  /** Failover POSTs of all four kinds. */
  failoverPosts: number;
  /** Keyed by route, e.g. "POST /vmReplicaPoints/{id}?action=failover". */
  byRoute: Record<string, number>;
}

export class CallCounter {
  private total = 0;
  private failoverPosts = 0;
  private readonly byRoute = new Map<string, number>();

  record(route: string, isFailover: boolean): void {
    this.total++;
    if (isFailover) this.failoverPosts++;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
  }

  snapshot(): CallCounters {
    return { total: this.total, failoverPosts: this.failoverPosts, byRoute: Object.fromEntries(this.byRoute) };
  }

  reset(): void {
    this.total = 0;
    this.failoverPosts = 0;
    this.byRoute.clear();
  }
}
