import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmUnauthenticatedError, isEmError } from '../../../src/em/index.js';
import type { RunningSimulator } from '../../../src/simulator/index.js';
import { client, simulator } from './helpers.js';

describe('EM client: logon session', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await simulator();
  });
  afterAll(() => sim.close());
  afterEach(() => {
    sim.reset();
    sim.sessionIdleTimeoutMs = 15 * 60_000;
  });

  it('logs on lazily with Basic credentials and logs off with DELETE /logonSessions/{id}', async () => {
    const em = client(sim);
    expect(sim.dump().sessions).toHaveLength(0);
    await em.listBackupServers();
    expect(sim.counters.byRoute['POST /sessionMngr']).toBe(1);
    expect(sim.dump().sessions.map((s) => s.userName)).toEqual(['em-admin']);
    await em.close();
    expect(sim.counters.byRoute['DELETE /logonSessions/{id}']).toBe(1);
    expect(sim.dump().sessions).toHaveLength(0);
  });

  it('keeps one session across calls', async () => {
    const em = client(sim);
    await em.logon();
    await em.listBackupServers();
    await em.listBackupServers();
    expect(sim.counters.byRoute['POST /sessionMngr']).toBe(1);
    await em.close();
  });

  it('refuses bad credentials with an unauthenticated error carrying EM message', async () => {
    const em = client(sim, { password: 'wrong' });
    const err = await em.listBackupServers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmUnauthenticatedError);
    expect(isEmError(err, 'unauthenticated')).toBe(true);
    expect((err as EmUnauthenticatedError).status).toBe(401);
    expect((err as EmUnauthenticatedError).emMessage).toMatch(/user name or password/);
    // A 401 on logon is not retried: credentials do not get better.
    expect(sim.counters.byRoute['POST /sessionMngr']).toBe(1);
  });

  it('logs on again exactly once after a forced session expiry', async () => {
    const em = client(sim);
    await em.listBackupServers();
    expect(sim.expireSessions()).toBe(1);
    const servers = await em.listBackupServers();
    expect(servers).toHaveLength(4);
    expect(sim.counters.byRoute['POST /sessionMngr']).toBe(2);
    expect(sim.counters.byRoute['GET /query?type=BackupServer']).toBe(3);
    await em.close();
  });

  it('logs on again after the idle timeout passes', async () => {
    sim.sessionIdleTimeoutMs = 50;
    const em = client(sim);
    await em.listBackupServers();
    await new Promise((r) => setTimeout(r, 120));
    await em.listBackupServers();
    expect(sim.counters.byRoute['POST /sessionMngr']).toBe(2);
    await em.close();
  });

  it('shares one relogon between concurrent calls that all hit 401', async () => {
    const em = client(sim);
    await em.logon();
    sim.expireSessions();
    const results = await Promise.all(Array.from({ length: 5 }, () => em.listBackupServers()));
    expect(results.every((r) => r.length === 4)).toBe(true);
    expect(sim.counters.byRoute['POST /sessionMngr']).toBe(2);
    await em.close();
  });

  it('answers 401 with WWW-Authenticate to calls without a session, as EM does', async () => {
    const res = await fetch(`${sim.url}/backupServers`, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic Realm=RestSvc');
    expect(await res.json()).toMatchObject({ StatusCode: 401 });
  });

  it('refuses calls after close()', async () => {
    const em = client(sim);
    await em.close();
    await expect(em.listBackupServers()).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
