import type { FailoverResult } from './state-machine.js';

/** Which /api requests a fault applies to. */
export type FaultTarget = 'all' | 'reads' | 'failover' | 'logon';

/**
 * Faults injected into /api requests (never /admin). Counts are consumed one
 * per matching request and make tests deterministic; rates are probabilities.
 */
export interface SimulatorFaults {
  /** Requests that latency, errors and drops apply to (default 'all'). 'reads' = GETs and POST ?action=intervals. */
  target?: FaultTarget;
  /** Delay added before answering each matching request, in ms (default 0). */
  latencyMs?: number;
  /** Probability (0–1) of answering a matching request with `errorStatus` (default 0). */
  errorRate?: number;
  /** Answer the next N matching requests with `errorStatus` (default 0). */
  errorCount?: number;
  /** Status of injected errors: 500 or 503 (default 503). */
  errorStatus?: 500 | 503;
  /** Probability (0–1) of destroying the socket of a matching request without answering (default 0). */
  dropRate?: number;
  /** Destroy the socket of the next N matching requests (default 0). */
  dropCount?: number;
  /** Never answer the next N matching requests: the socket stays open until the client gives up or the simulator closes (default 0). */
  hangCount?: number;
  /** Result every new failover ends with (default 'Success'). */
  failoverResult?: FailoverResult;
  /**
   * What the failover POST does after the failover has really started (default 'normal'):
   * 'hang' never answers (the client times out), 'drop' destroys the socket. Both leave
   * the client not knowing whether the failover happened, which is the point.
   */
  failoverResponse?: 'normal' | 'hang' | 'drop';
}

export type RequestClass = 'read' | 'failover' | 'logon' | 'other';

export type FaultDecision = { latencyMs: number; action: 'none' | 'drop' | 'hang' } | { latencyMs: number; action: 'error'; status: 500 | 503 };

export class FaultInjector {
  private faults: SimulatorFaults = {};

  constructor(initial: SimulatorFaults = {}) {
    this.set(initial);
  }

  get current(): SimulatorFaults {
    return { ...this.faults };
  }

  /** Replaces the whole fault configuration ({} clears it). */
  set(faults: SimulatorFaults): void {
    validateFaults(faults);
    this.faults = { ...faults };
  }

  /** Merges into the current configuration. */
  update(faults: SimulatorFaults): void {
    this.set({ ...this.faults, ...faults });
  }

  decide(requestClass: RequestClass): FaultDecision {
    const f = this.faults;
    if (!matches(f.target ?? 'all', requestClass)) return { latencyMs: 0, action: 'none' };
    const latencyMs = f.latencyMs ?? 0;
    if ((f.dropCount ?? 0) > 0) {
      f.dropCount = f.dropCount! - 1;
      return { latencyMs, action: 'drop' };
    }
    if ((f.dropRate ?? 0) > 0 && Math.random() < f.dropRate!) return { latencyMs, action: 'drop' };
    if ((f.hangCount ?? 0) > 0) {
      f.hangCount = f.hangCount! - 1;
      return { latencyMs, action: 'hang' };
    }
    const status = f.errorStatus ?? 503;
    if ((f.errorCount ?? 0) > 0) {
      f.errorCount = f.errorCount! - 1;
      return { latencyMs, action: 'error', status };
    }
    if ((f.errorRate ?? 0) > 0 && Math.random() < f.errorRate!) return { latencyMs, action: 'error', status };
    return { latencyMs, action: 'none' };
  }
}

function matches(target: FaultTarget, requestClass: RequestClass): boolean {
  switch (target) {
    case 'all':
      return true;
    case 'reads':
      return requestClass === 'read';
    case 'failover':
      return requestClass === 'failover';
    case 'logon':
      return requestClass === 'logon';
  }
}

const TARGETS: readonly string[] = ['all', 'reads', 'failover', 'logon'];

export function validateFaults(f: SimulatorFaults): void {
  const bad = (what: string): never => {
    throw new RangeError(`invalid fault configuration: ${what}`);
  };
  if (typeof f !== 'object' || f === null || Array.isArray(f)) bad('expected an object');
  if (f.target !== undefined && !TARGETS.includes(f.target)) bad(`target must be one of ${TARGETS.join(', ')}`);
  for (const k of ['errorRate', 'dropRate'] as const) {
    const v = f[k];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) bad(`${k} must be a number in 0..1`);
  }
  for (const k of ['latencyMs', 'errorCount', 'dropCount', 'hangCount'] as const) {
    const v = f[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) bad(`${k} must be a non-negative integer`);
  }
  if (f.errorStatus !== undefined && f.errorStatus !== 500 && f.errorStatus !== 503) bad('errorStatus must be 500 or 503');
  if (f.failoverResult !== undefined && !['Success', 'Warning', 'Failed'].includes(f.failoverResult)) bad('failoverResult must be Success, Warning or Failed');
  if (f.failoverResponse !== undefined && !['normal', 'hang', 'drop'].includes(f.failoverResponse)) bad('failoverResponse must be normal, hang or drop');
}
