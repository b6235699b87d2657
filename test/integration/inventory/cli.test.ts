import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { inventoryCommand } from '../../../src/cli/commands/inventory.js';
import { tempDirs } from '../../unit/db/support.js';

const dirs = tempDirs();
const saved = { ...process.env };

afterEach(() => {
  process.env = { ...saved };
  vi.restoreAllMocks();
});
afterAll(() => dirs.cleanup());

/** Runs the command as `failover-gateway inventory …` would, returning exit code and stdout. */
async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  const code = await inventoryCommand.run(argv);
  vi.restoreAllMocks();
  return { code, out: lines.join('\n') };
}

describe('inventory command without a running gateway', () => {
  it('syncs from the embedded simulator into PGlite, then prints the summary', async () => {
    const dataDir = await dirs.make('fg-inv-cli-');
    process.env = { ...saved, DATA_DIR: dataDir, SIMULATOR_REPLICAS: '40', LOG_LEVEL: 'warn' };
    delete process.env.EM_URL;
    delete process.env.DATABASE_URL;

    const sync = await run(['sync']);
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/Sync OK/);
    expect(sync.out).toMatch(/Inventory: 40 replicas on 4 backup server\(s\)/);
    expect(sync.out).toContain('Enterprise Plus');
    expect(sync.out).toContain('fresh');

    const summary = await run(['summary', '--json']);
    expect(summary.code).toBe(0);
    const parsed = JSON.parse(summary.out) as { totals: { allReplicas: number }; servers: Array<{ stale: boolean; lastSyncedAt: string }> };
    expect(parsed.totals.allReplicas).toBe(40);
    expect(parsed.servers.every((s) => !s.stale && typeof s.lastSyncedAt === 'string')).toBe(true);
  });

  it('rejects an unknown verb', async () => {
    await expect(inventoryCommand.run(['resync'])).rejects.toThrow(/usage: inventory sync\|summary/);
  });
});
