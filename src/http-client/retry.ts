import { setTimeout as delay } from 'node:timers/promises';

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Exponential backoff with full jitter: spreads the retries of many callers after an upstream hiccup. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(Math.random() * ceiling);
}

/** Runs `fn`, retrying while `retryable(error)` and attempts remain. */
export async function withRetries<T>(policy: RetryPolicy, retryable: (e: unknown) => boolean, fn: (attempt: number) => Promise<T>, onRetry?: (e: unknown, attempt: number, waitMs: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= policy.retries || !retryable(e)) throw e;
      const wait = backoffDelay(policy, attempt);
      onRetry?.(e, attempt + 1, wait);
      await delay(wait);
    }
  }
}
