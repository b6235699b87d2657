import { afterEach } from 'vitest';
import { connectVbr, type VbrClientOptions, type VbrConnection } from '../../../src/vbr/index.js';
import { FakeVbr, PASSWORD, USER, type FakeVbrOptions } from './fake-vbr.js';

export interface FakeConnection {
  fake: FakeVbr;
  conn: VbrConnection;
}

/**
 * Connections of the VBR client to fakes of their own, one per call, with
 * retries a millisecond apart so that retrying tests stay fast. Registers an
 * afterEach hook in the calling describe block that closes every client and
 * fake the test opened.
 */
export function fakeConnections(): (fakeOptions?: FakeVbrOptions, options?: Partial<VbrClientOptions>) => Promise<FakeConnection> {
  const open: FakeConnection[] = [];
  afterEach(async () => {
    for (const { fake, conn } of open.splice(0)) {
      await conn.client.close();
      await fake.close();
    }
  });
  return async (fakeOptions = {}, options = {}) => {
    const fake = await FakeVbr.start(fakeOptions);
    const conn = connectVbr({ url: fake.url, username: USER, password: PASSWORD, retryBaseDelayMs: 1, retryMaxDelayMs: 2, ...options });
    open.push({ fake, conn });
    return { fake, conn };
  };
}
