import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSimulator } from '../../src/simulator/index.js';

/**
 * A VBR_SERVERS file naming every VBR face of a simulator, as an operator
 * would write it for a real deployment: a gateway given EM_URL at that
 * simulator gets edition, states and hierarchy from the same faces as the
 * simulator's own embedding gateway.
 */
export function vbrServersFile(sim: Pick<RunningSimulator, 'vbrUrls'>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'fg-vbr-servers-')), 'vbr-servers.json');
  const servers = Object.fromEntries(Object.entries(sim.vbrUrls).map(([name, url]) => [name, { url, username: 'vbr-admin', password: 'vbr-admin' }]));
  writeFileSync(path, JSON.stringify(servers, null, 2));
  return path;
}

/** The same, for a simulator running in its own process: its faces as `GET /admin/state` lists them. */
export async function vbrServersFileOf(adminUrl: string): Promise<string> {
  const state = (await (await fetch(`${adminUrl.replace(/\/+$/, '')}/state`)).json()) as { vbrFaces: Array<{ name: string; url?: string }> };
  return vbrServersFile({ vbrUrls: Object.fromEntries(state.vbrFaces.flatMap((f) => (f.url ? [[f.name, f.url]] : []))) });
}
