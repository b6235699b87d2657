import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccessGateway, tokenSigner } from '../../support/access.js';
import type { TestGateway } from '../../support/gateway.js';

let gateway: TestGateway;
let admin: string;

beforeAll(async () => {
  gateway = await startAccessGateway();
  admin = await tokenSigner(gateway).sign({ subject: 'admin', groups: [] });
  await gateway.services.audit.append({ at: new Date('2026-11-25T12:00:00Z'), actor: { subject: null }, action: 'test.entry', decision: 'ALLOW' });
});
afterAll(() => gateway?.stop());

const exportWith = (query: Record<string, string>) =>
  fetch(`${new URL(gateway.url).origin}/audit/export?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${admin}` } });

describe('GET /audit/export time range', () => {
  it('refuses a from or to that names no real moment (400 naming it), instead of rolling it over', async () => {
    for (const [name, value] of [
      ['from', '2026-02-30T00:00:00Z'],
      ['to', '2026-12-03T24:00:00Z'],
      ['from', '2026-12-03T10:00:00'],
      ['to', 'Dec 3 2026'],
    ] as const) {
      const response = await exportWith({ [name]: value });
      expect(response.status, value).toBe(400);
      const body = (await response.json()) as { error: string };
      expect(body.error, value).toContain(name);
      expect(body.error, value).toContain(value);
    }
  });

  it('takes RFC 3339 moments with an offset', async () => {
    const around = await exportWith({ from: '2026-11-25T13:59:59+02:00', to: '2026-11-25t12:00:01z' });
    expect(around.status).toBe(200);
    expect((await around.text()).trimEnd().split('\n').map((line) => JSON.parse(line).action)).toEqual(['test.entry']);
    const after = await exportWith({ from: '2026-11-25T12:00:00.001Z' });
    expect(after.status).toBe(200);
    expect(await after.text()).not.toContain('test.entry');
  });
});
