import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { ExecutionResult } from 'graphql';
import type { GatewayContext } from '../../graphql/context.js';
import type { GatewayMetrics } from '../metrics.js';

/** Counts the errors of one result by their `extensions.code`. */
export function countGraphQLErrors(metrics: GatewayMetrics, errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): void {
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    metrics.graphqlErrors.inc({ code: typeof code === 'string' ? code : 'INTERNAL' });
  }
}

/**
 * GraphQL-level metrics: errors by code, and open subscriptions per
 * transport. (Request counts and durations are recorded with the rest of the
 * per-request telemetry in use-request-telemetry.ts; /metrics is served by
 * use-endpoints.ts.)
 *
 * Hand-wired on prom-client rather than @graphql-yoga/plugin-prometheus:
 * measured here, that plugin cost about a quarter of the throughput of a
 * trivial query even with a single metric enabled (its hooks run on every
 * phase), while these few hooks are within the noise of stock Yoga.
 */
export function useMetrics(metrics: GatewayMetrics): Plugin {
  const countErrors = (result: ExecutionResult) => countGraphQLErrors(metrics, result.errors);
  const plugin: Plugin<GatewayContext> = {
    // Each error is counted on exactly one path: single HTTP results here
    // (parse and validation errors included), streamed events in onNext below,
    // single WebSocket results in onExecuteDone, and WebSocket operations refused
    // in validation by the WebSocket wiring itself.
    onResultProcess({ result }) {
      if (Array.isArray(result)) result.forEach((item) => countErrors(item as ExecutionResult));
      else if (!isAsyncIterable(result)) countErrors(result as ExecutionResult);
    },
    onExecute({ args }) {
      if (args.contextValue.transport !== 'ws') return undefined;
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) countErrors(result as ExecutionResult);
        },
      };
    },
    onSubscribe({ args }) {
      const transport = args.contextValue.transport ?? 'http';
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return;
          metrics.openSubscriptions.inc({ transport });
          return {
            onNext({ result: next }) {
              countErrors(next as ExecutionResult);
            },
            // onEnd runs when the stream completes, errors, or the client leaves
            // (return() on the iterator), so the gauge cannot drift upward.
            onEnd() {
              metrics.openSubscriptions.dec({ transport });
            },
          };
        },
      };
    },
  };
  return plugin as Plugin;
}
