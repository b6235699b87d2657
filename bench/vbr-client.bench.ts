import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVbrClient } from '../src/vbr/index.js';
import { overheadVsRaw, type Benchmark, type Measurement } from './harness.js';

const TOKEN = 'bench-access-token';
const JOB = JSON.stringify({
  id: '5f0c2a34-7d1e-4c47-9b7e-3f2f1f0d9a11',
  name: 'Replicate web tier',
  type: 'VSphereReplica',
  isDisabled: false,
  description: 'web VMs to the DR site',
  virtualMachines: {
    includes: Array.from({ length: 12 }, (_, i) => ({
      platform: 'VSphere',
      hostName: 'vc01.lab.local',
      name: `web-${i}`,
      type: 'VirtualMachine',
      objectId: `vm-${100 + i}`,
      urn: `vc:vc01.lab.local;folder:group-d1;datacenter:datacenter-2;folder:group-v3;virtualmachine:vm-${100 + i}`,
      size: '40 GB',
    })),
  },
  destination: {},
});

/** The least of a VBR REST face: the token call and one job, as VBR sends them. */
async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/api/oauth2/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: TOKEN, token_type: 'bearer', refresh_token: 'r', expires_in: 900, '.issued': '', '.expires': '' }));
      } else if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JOB);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const overhead: Benchmark = {
  name: 'vbr-client-overhead',
  description: 'issue 14: VBR client per-call cost vs a raw fetch of the same local endpoint',
  async run(): Promise<Measurement[]> {
    const server = await startServer();
    const vbr = createVbrClient({ url: server.url, username: 'vbr-admin', password: 'vbr-admin' });
    const url = `${server.url}/api/v1/jobs/5f0c2a34-7d1e-4c47-9b7e-3f2f1f0d9a11`;
    const raw = async (): Promise<unknown> => {
      const res = await fetch(url, { headers: { Accept: 'application/json', Authorization: `Bearer ${TOKEN}`, 'x-api-version': '1.3-rev1' } });
      return JSON.parse(await res.text()) as unknown;
    };
    const viaClient = (): Promise<unknown> => vbr.getJob('5f0c2a34-7d1e-4c47-9b7e-3f2f1f0d9a11');
    try {
      await vbr.logon();
      return [await overheadVsRaw('GET /api/v1/jobs/{id} per call (median)', raw, viaClient)];
    } finally {
      await vbr.close();
      await server.close();
    }
  },
};

export const benchmarks: Benchmark[] = [overhead];
