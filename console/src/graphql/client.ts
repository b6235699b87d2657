import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createSocket, type Client as SocketClient } from 'graphql-ws';
import { graphCache } from './cache';
import type { ConnectionStatusStore } from './connection-status';

export interface GraphQLClientOptions {
  graphqlPath: string;
  /** The current bearer token. */
  token: () => string | null;
  status: ConnectionStatusStore;
  /** The gateway refused the token (HTTP 401, or WebSocket close 4403). */
  onUnauthenticated: () => void;
}

export interface GraphQLConnection {
  client: Client;
  socket: SocketClient;
  dispose(): void;
}

/** Waits 0.5 s, 1 s, 2 s, then 4 s between tries, with jitter so many consoles do not return together. */
async function retryWait(retries: number): Promise<void> {
  const base = Math.min(4000, 500 * 2 ** retries);
  await new Promise((resolve) => setTimeout(resolve, base / 2 + Math.random() * (base / 2)));
}

/**
 * urql over HTTP (queries, mutations) and graphql-ws (subscriptions), on the
 * gateway's one path. The socket connects on the first subscription, retries
 * for ever after a drop, and reports its state so pages can say they are
 * reconnecting and resume their streams.
 */
export function createGraphQLConnection({ graphqlPath, token, status, onUnauthenticated }: GraphQLClientOptions): GraphQLConnection {
  const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${graphqlPath}`;
  let open = 0;
  const socket = createSocket({
    url: wsUrl,
    lazy: true,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => true,
    retryWait,
    connectionParams: () => ({ authorization: `Bearer ${token() ?? ''}` }),
    on: {
      connected: () => status.connected(),
      closed: (event) => {
        // With no subscription left the client closes the socket itself: that is no drop.
        if (open > 0) status.dropped();
        else status.idle();
        if ((event as CloseEvent | undefined)?.code === 4403) onUnauthenticated();
      },
    },
  });
  const client = new Client({
    url: graphqlPath,
    // POST only: the gateway's CSRF prevention refuses a GET without its header.
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => {
      const bearer = token();
      const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
      return { headers };
    },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) onUnauthenticated();
      return response;
    },
    exchanges: [
      graphCache(),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              open += 1;
              let ended = false;
              const end = () => {
                if (!ended) open -= 1;
                ended = true;
              };
              const unsubscribe = socket.subscribe(input, {
                next: (value) => sink.next(value as Parameters<typeof sink.next>[0]),
                error: (error) => {
                  end();
                  sink.error(error);
                },
                complete: () => {
                  end();
                  sink.complete();
                },
              });
              return {
                unsubscribe() {
                  end();
                  unsubscribe();
                },
              };
            },
          };
        },
      }),
    ],
  });
  return {
    client,
    socket,
    dispose() {
      void socket.dispose();
    },
  };
}
