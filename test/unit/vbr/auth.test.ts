import { afterEach, describe, expect, it } from 'vitest';
import { createVbrClient, VbrNotImplementedError, VbrUnauthenticatedError, type VbrClient, type VbrClientOptions } from '../../../src/vbr/index.js';
import { FakeVbr, PASSWORD, USER, type FakeVbrOptions } from './fake-vbr.js';

const SERVER_INFO = { vbrId: 'b7a1', name: 'vbr01.lab.local', buildVersion: '13.0.1.180', platform: 'Windows', patches: [], extra: { unknown: true } };

describe('VBR client: tokens and API revisions', () => {
  const open: Array<{ fake: FakeVbr; vbr: VbrClient }> = [];
  afterEach(async () => {
    for (const { fake, vbr } of open.splice(0)) {
      await vbr.close();
      await fake.close();
    }
  });

  async function setup(fakeOptions: FakeVbrOptions = {}, options: Partial<VbrClientOptions> = {}): Promise<{ fake: FakeVbr; vbr: VbrClient }> {
    const fake = await FakeVbr.start(fakeOptions);
    fake.routes.set('GET /api/v1/serverInfo', () => ({ status: 200, body: SERVER_INFO }));
    const vbr = createVbrClient({ url: fake.url, username: USER, password: PASSWORD, retryBaseDelayMs: 1, retryMaxDelayMs: 2, ...options });
    open.push({ fake, vbr });
    return { fake, vbr };
  }

  it('logs on with a form-encoded password grant carrying x-api-version, then sends the bearer and the same revision', async () => {
    const { fake, vbr } = await setup();
    const info = await vbr.getServerInfo();
    expect(info).toEqual({ vbrId: 'b7a1', name: 'vbr01.lab.local', buildVersion: '13.0.1.180', platform: 'Windows' });
    const [token, call] = fake.seen;
    expect(token!.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({ grant_type: 'password', username: USER, password: PASSWORD });
    expect(token!.version).toBe('1.3-rev1');
    expect(call!.authorization).toBe('Bearer access-1');
    expect(call!.version).toBe('1.3-rev1');
    expect(await vbr.apiRevision()).toBe('1.3-rev1');
  });

  it('refreshes with the refresh token before expires_in runs out, by the refresh margin', async () => {
    let now = 1_000_000;
    const { fake, vbr } = await setup({ lifetimeSeconds: 900 }, { now: () => now, refreshMarginMs: 30_000 });
    await vbr.getServerInfo();
    now += 900_000 - 30_001;
    await vbr.getServerInfo();
    expect(fake.tokenGrants()).toEqual(['password']);
    now += 2;
    await vbr.getServerInfo();
    expect(fake.tokenGrants()).toEqual(['password', 'refresh_token']);
    const refresh = fake.calls('POST /api/oauth2/token')[1]!;
    expect(new URLSearchParams(refresh.body).get('refresh_token')).toBe('refresh-1');
    expect(fake.calls('GET /api/v1/serverInfo').at(-1)!.authorization).toBe('Bearer access-2');
  });

  it('logs on with the password when VBR answers that the refresh token was already used', async () => {
    let now = 0;
    const { fake, vbr } = await setup({}, { now: () => now });
    await vbr.getServerInfo();
    // Someone else spends refresh-1 first (the race the simulator can also stage).
    const spent = await fetch(`${fake.url}/api/oauth2/token`, {
      method: 'POST',
      headers: { 'x-api-version': '1.3-rev1', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=refresh-1',
    });
    expect(spent.status).toBe(200);
    now += 900_000;
    await vbr.getServerInfo();
    expect(fake.tokenGrants()).toEqual(['password', 'refresh_token', 'refresh_token', 'password']);
    expect(fake.calls('GET /api/v1/serverInfo').at(-1)!.authorization).toBe('Bearer access-3');
  });

  it('shares one refresh among concurrent callers', async () => {
    let now = 0;
    const { fake, vbr } = await setup({}, { now: () => now });
    await vbr.logon();
    now += 900_000;
    await Promise.all(Array.from({ length: 8 }, () => vbr.getServerInfo()));
    expect(fake.tokenGrants()).toEqual(['password', 'refresh_token']);
    expect(new Set(fake.calls('GET /api/v1/serverInfo').map((s) => s.authorization))).toEqual(new Set(['Bearer access-2']));
  });

  it('shares one logon among concurrent first callers', async () => {
    const { fake, vbr } = await setup();
    await Promise.all(Array.from({ length: 5 }, () => vbr.getServerInfo()));
    expect(fake.tokenGrants()).toEqual(['password']);
  });

  it('steps down the revisions on 400 NotImplemented and keeps the one that worked', async () => {
    const { fake, vbr } = await setup({ revisions: ['1.2-rev0', '1.1-rev2'] });
    expect(await vbr.apiRevision()).toBe('1.2-rev0');
    expect(fake.calls('POST /api/oauth2/token').map((s) => s.version)).toEqual(['1.3-rev1', '1.3-rev0', '1.2-rev1', '1.2-rev0']);
    await vbr.getServerInfo();
    fake.expireAccessTokens();
    await vbr.getServerInfo();
    expect(fake.calls('POST /api/oauth2/token').slice(4).map((s) => s.version)).toEqual(['1.2-rev0']);
    expect(fake.calls('GET /api/v1/serverInfo').map((s) => s.version)).toEqual(['1.2-rev0', '1.2-rev0', '1.2-rev0']);
  });

  it('refuses with not_implemented when the server speaks none of the revisions', async () => {
    const { fake, vbr } = await setup({ revisions: ['1.0-rev2'] });
    const err = await vbr.getServerInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrNotImplementedError);
    expect(fake.calls('POST /api/oauth2/token')).toHaveLength(6);
  });

  it('uses a pinned revision without negotiating, and refuses it when the server does not implement it', async () => {
    const { fake, vbr } = await setup({}, { apiVersion: '1.2-rev1' });
    expect(await vbr.apiRevision()).toBe('1.2-rev1');
    expect(fake.seen).toHaveLength(0);
    await vbr.getServerInfo();
    expect(fake.seen.map((s) => s.version)).toEqual(['1.2-rev1', '1.2-rev1']);

    const old = await setup({ revisions: ['1.1-rev2'] }, { apiVersion: '1.2-rev1' });
    const err = await old.vbr.getServerInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrNotImplementedError);
    expect(old.fake.calls('POST /api/oauth2/token')).toHaveLength(1);
  });

  it('answers a 401 (empty body) with one new token and one resend', async () => {
    const { fake, vbr } = await setup();
    await vbr.getServerInfo();
    fake.expireAccessTokens();
    await expect(vbr.getServerInfo()).resolves.toMatchObject({ vbrId: 'b7a1' });
    expect(fake.calls('GET /api/v1/serverInfo').map((s) => s.authorization)).toEqual(['Bearer access-1', 'Bearer access-1', 'Bearer access-2']);
    expect(fake.tokenGrants()).toEqual(['password', 'refresh_token']);
  });

  it('gives up with unauthenticated when a fresh token is refused too', async () => {
    const { fake, vbr } = await setup();
    fake.routes.set('GET /api/v1/serverInfo', () => ({ status: 401 }));
    const err = await vbr.getServerInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrUnauthenticatedError);
    expect(fake.calls('GET /api/v1/serverInfo')).toHaveLength(2);
  });

  it('refuses bad credentials with unauthenticated, carrying VBR error code and message', async () => {
    const { fake, vbr } = await setup({}, { password: 'wrong' });
    const err = await vbr.getServerInfo().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VbrUnauthenticatedError);
    expect(err).toMatchObject({ kind: 'unauthenticated', errorCode: 'AccessDenied', message: 'Invalid user name or password', status: 401 });
    expect(fake.tokenGrants()).toEqual(['password']);
  });

  it('logs out on close and refuses calls after it', async () => {
    const { fake, vbr } = await setup();
    await vbr.logon();
    await vbr.close();
    expect(fake.calls('POST /api/oauth2/logout').map((s) => s.authorization)).toEqual(['Bearer access-1']);
    await expect(vbr.getServerInfo()).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
