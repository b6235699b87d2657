import { GraphQLError } from 'graphql';
import { Repeater } from 'graphql-yoga';
import { builder } from './builder.js';

const Heartbeat = builder.objectRef<{ sequence: number; at: Date }>('Heartbeat').implement({
  description: 'One beat of the heartbeat subscription.',
  fields: (t) => ({
    sequence: t.exposeInt('sequence', { description: 'Starts at 1 and rises by one per beat.' }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 60_000;

function badInput(message: string, argumentName: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
}

builder.subscriptionField('heartbeat', (t) =>
  t.field({
    type: Heartbeat,
    description:
      'Beats at a fixed interval. Wall screens use it to tell a quiet stream from a dead one on transports without their own ping (SSE through some proxies).',
    args: {
      intervalMs: t.arg.int({
        required: true,
        defaultValue: 5000,
        description: `Milliseconds between beats, ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}. Default: 5000.`,
      }),
      count: t.arg.int({ description: 'Stop after this many beats. Default: never.' }),
    },
    subscribe: (_root, { intervalMs, count }) => {
      if (intervalMs < MIN_INTERVAL_MS || intervalMs > MAX_INTERVAL_MS) {
        throw badInput(`intervalMs must be from ${MIN_INTERVAL_MS} to ${MAX_INTERVAL_MS}`, 'intervalMs');
      }
      if (count != null && count < 1) throw badInput('count must be at least 1', 'count');
      // A Repeater, not an async generator: when the client goes away, return()
      // runs `stop` at once and the timer is cleared, instead of lingering
      // until the next beat would have fired.
      return new Repeater<{ sequence: number; at: Date }>(async (push, stop) => {
        let sequence = 0;
        const beat = () => {
          sequence += 1;
          void push({ sequence, at: new Date() });
          if (count != null && sequence >= count) stop();
        };
        beat();
        const timer = setInterval(beat, intervalMs);
        await stop;
        clearInterval(timer);
      });
    },
    resolve: (beat) => beat,
  }),
);
