import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createListenerSet, type FailoverEventBus } from './event-bus.js';
import { fromWire, toWire } from './events.js';

export interface RedisEventBusOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Channel the instances of one deployment share. Default: failover-gateway:failover-events. */
  channel?: string;
  /** Tags this instance's messages, so it does not deliver its own events twice. */
  instanceId: string;
  logger: Logger;
  /** How long the start waits for Redis before going on without it (it keeps reconnecting). Default: 3,000 ms. */
  connectWaitMs?: number;
}

/**
 * Redis pub/sub between gateway instances, on ioredis. Local listeners hear an
 * event at once; Redis carries it to the other instances, and an instance
 * skips its own messages coming back. While Redis is away, publishing drops
 * (logged) and the other instances catch up from the event table; the
 * gateway also starts while Redis is away.
 *
 * ioredis directly rather than `@graphql-yoga/redis-event-target`: that
 * target leaves the promise of each PUBLISH unobserved, so a publish failing
 * while Redis is down would be an unhandled rejection and stop the process.
 */
export async function createRedisEventBus(options: RedisEventBusOptions): Promise<FailoverEventBus> {
  const channel = options.channel ?? 'failover-gateway:failover-events';
  const { logger, instanceId } = options;
  const common = {
    // A publish waits for no reconnection: a wake-up that comes late is worth less than the catch-up that repairs it.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 5_000),
  } as const;
  const publisher = new Redis(options.url, { ...common, connectionName: `failover-gateway:${instanceId}:pub` });
  // The subscriber queues its SUBSCRIBE until connected, and ioredis subscribes again after every reconnection.
  const subscriber = new Redis(options.url, { ...common, enableOfflineQueue: true, connectionName: `failover-gateway:${instanceId}:sub` });
  const listeners = createListenerSet((error) => logger.error({ err: error }, 'failover event listener failed'));
  let lastError = '';
  const onError = (error: Error) => {
    // ioredis retries on its own; one line per distinct failure, not one per retry.
    if (error.message !== lastError) logger.warn({ err: error }, 'redis connection failed; retrying');
    lastError = error.message;
  };
  publisher.on('error', onError);
  subscriber.on('error', onError);
  subscriber.on('ready', () => {
    lastError = '';
  });
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    const envelope = parsed as { origin?: unknown; event?: unknown };
    if (envelope.origin === instanceId) return;
    const event = fromWire(envelope.event);
    if (event) listeners.emit(event);
  });
  // Queued until connected; ioredis subscribes again after every reconnection.
  subscriber.subscribe(channel).catch((error: unknown) => logger.warn({ err: error }, 'cannot subscribe to the redis channel yet'));
  // The gateway starts while Redis is away (events then arrive through the catch-up), but waits a moment for it.
  const ready = await new Promise<boolean>((resolve) => {
    if (subscriber.status === 'ready') return resolve(true);
    const timer = setTimeout(() => resolve(false), options.connectWaitMs ?? 3_000);
    subscriber.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (!ready) logger.warn({ channel }, 'redis is not reachable yet; other instances\' events arrive through the catch-up until it is');

  return {
    publish(event) {
      listeners.emit(event);
      if (publisher.status !== 'ready') return;
      publisher.publish(channel, JSON.stringify({ origin: instanceId, event: toWire(event) })).catch((error: unknown) => {
        logger.debug({ err: error, operationId: event.operationId }, 'event not published to redis; other instances catch up');
      });
    },
    subscribe: (listener) => listeners.add(listener),
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
