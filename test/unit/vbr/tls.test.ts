import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTransport, TransportError } from '../../../src/http-client/exchange.js';
import { transportFailure } from '../../../src/vbr/error-map.js';
import { connectVbr, VbrOutcomeUnknownError, VbrUnavailableError, type VbrClientOptions } from '../../../src/vbr/index.js';
import { FakeVbr, PASSWORD, USER } from './fake-vbr.js';

/** A throwaway self-signed certificate for localhost, made now (no key is committed). */
function selfSigned(dir: string, name: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', cert], {
    stdio: 'ignore',
  });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

describe('VBR client over https', () => {
  let dir: string;
  let served: { key: string; cert: string };
  let other: { key: string; cert: string };
  let fake: FakeVbr;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vbr-tls-'));
    served = selfSigned(dir, 'vbr');
    other = selfSigned(dir, 'other');
    fake = await FakeVbr.start({ tls: served });
    fake.routes.set('GET /api/v1/serverInfo', () => ({ status: 200, body: { vbrId: 'id', name: 'vbr01', buildVersion: '13.0.1.180' } }));
    fake.routes.set('POST /api/v1/replicas/rescan', () => ({ status: 201, body: {} }));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256;

  async function attempt(options: Partial<VbrClientOptions>): Promise<unknown> {
    const { client } = connectVbr({ url: fake.url, username: USER, password: PASSWORD, retryBaseDelayMs: 1, retryMaxDelayMs: 2, ...options });
    try {
      return await client.getServerInfo();
    } catch (e) {
      return e;
    } finally {
      await client.close();
    }
  }

  it('trusts the self-signed certificate given as ca', async () => {
    await expect(attempt({ ca: served.cert })).resolves.toMatchObject({ vbrId: 'id' });
  });

  it('refuses a server whose certificate the ca does not vouch for, without retrying', async () => {
    const before = fake.seen.length;
    const err = await attempt({ ca: other.cert });
    expect(err).toBeInstanceOf(VbrUnavailableError);
    expect((err as Error).message).toMatch(/TLS handshake failed/);
    expect(fake.seen.length).toBe(before);
  });

  it('refuses without a ca: no system root vouches for a self-signed certificate (there is no option to ignore TLS)', async () => {
    const err = await attempt({});
    expect(err).toBeInstanceOf(VbrUnavailableError);
  });

  it('works with the matching fingerprint pinned (any case, colons optional)', async () => {
    const pin = fingerprintOf(served.cert);
    await expect(attempt({ ca: served.cert, fingerprint: pin })).resolves.toMatchObject({ vbrId: 'id' });
    await expect(attempt({ ca: served.cert, fingerprint: pin.replace(/:/g, '').toLowerCase() })).resolves.toMatchObject({ vbrId: 'id' });
  });

  it('refuses a wrong fingerprint in the handshake: no request reaches the server', async () => {
    const before = fake.seen.length;
    const err = await attempt({ ca: served.cert, fingerprint: fingerprintOf(other.cert) });
    expect(err).toBeInstanceOf(VbrUnavailableError);
    expect((err as Error).message).toMatch(/not the pinned one/);
    expect(fake.seen.length).toBe(before);
  });

  it('classifies a POST refused in the handshake as not sent (so a changing POST is unavailable, never outcome_unknown)', async () => {
    const before = fake.seen.length;
    const transport = new HttpTransport({ ca: served.cert, fingerprint: fingerprintOf(other.cert) });
    const err = await transport
      .request({ method: 'POST', url: `${fake.url}/api/v1/replicas/rescan`, headers: {}, body: { replicaIds: [] }, timeoutMs: 5_000 })
      .catch((e: unknown) => e);
    transport.close();
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ reason: 'tls', sent: false });
    expect(transportFailure('POST', fake.url, err, true)).not.toBeInstanceOf(VbrOutcomeUnknownError);
    expect(fake.seen.length).toBe(before);
  });
});
