import { Writable } from 'node:stream';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log/logger.js';
import { createMetrics } from '../../../src/server/metrics.js';
import { useRequestTelemetry } from '../../../src/server/plugins/use-request-telemetry.js';

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
  const metrics = createMetrics({ processMetrics: false });
  const yoga = createYoga({ schema, logging: false, plugins: [useRequestTelemetry(logger, metrics)] });
  const response = await yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ ok }' }),
  });
  return { lines, response, metrics };
}

describe('request telemetry', () => {
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
    expect(response.headers.get('x-request-id')).toBe('req-1');
  });

  it('counts the request in the duration histogram', async () => {
    const { metrics } = await request('info');
    const histogram = await metrics.httpDuration.get();
    const count = histogram.values.find((value) => value.metricName?.endsWith('_count'));
    expect(count).toMatchObject({ labels: { method: 'POST', status: '200' }, value: 1 });
  });

  it('stays quiet at info for successful requests', async () => {
    const { lines } = await request('info');
    expect(lines).toHaveLength(0);
  });
});
