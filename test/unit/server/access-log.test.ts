import { Writable } from 'node:stream';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log/logger.js';
import { useAccessLog } from '../../../src/server/plugins/use-access-log.js';
import { useRequestId } from '../../../src/server/plugins/use-request-id.js';

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ level, format: 'json' }, stream) };
}

const schema = createSchema({
  typeDefs: 'type Query { ok: Boolean, boom: Boolean }',
  resolvers: { Query: { ok: () => true } },
});

async function request(level: string, headers: Record<string, string> = {}) {
  const { lines, logger } = capture(level);
  const yoga = createYoga({ schema, logging: false, plugins: [useRequestId(), useAccessLog(logger)] });
  const response = await yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ ok }' }),
  });
  return { lines, response };
}

describe('access log', () => {
  it('writes one line per request with its id, method, path, status and duration at debug', async () => {
    const { lines, response } = await request('debug', { 'x-request-id': 'req-1', 'user-agent': 'portal/2.1' });
    expect(response.status).toBe(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 20,
      msg: 'request',
      requestId: 'req-1',
      method: 'POST',
      path: '/graphql',
      status: 200,
      userAgent: 'portal/2.1',
    });
    expect(lines[0]!.durationMs).toEqual(expect.any(Number));
  });

  it('stays quiet at info for successful requests', async () => {
    const { lines } = await request('info');
    expect(lines).toHaveLength(0);
  });
});
