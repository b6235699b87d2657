import { Socket } from 'node:net';

const ports = { postgres: 5432, redis: 6379 } as const;

/** Whether a local service answers on its standard loopback port. */
export function serviceAvailable(service: keyof typeof ports): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.connect(ports[service], '127.0.0.1');
  });
}
