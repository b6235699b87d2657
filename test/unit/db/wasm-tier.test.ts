import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/project-root.js';

const tsxLoader = createRequire(import.meta.url).resolve('tsx');
const database = new URL('../../../src/db/database.ts', import.meta.url).href;

/**
 * In a process of its own (the flag is process-wide): opens a database with
 * `options`, then runs a small WebAssembly loop hot enough for V8 to tier it
 * up, and prints which compiler its code ended on, as V8's own test natives
 * report it. The open fails (no such host): the decision is made before.
 */
const CHILD = `
const { openDatabase } = await import(process.env.DATABASE_MODULE);
await openDatabase({ databaseUrl: 'postgres://nobody@db.invalid:1/none', ...JSON.parse(process.env.OPEN_OPTIONS) }).catch(() => undefined);
// (func (param i32) (result i32) (local i32): adds 1..n in a loop)
const bytes = new Uint8Array([0,97,115,109,1,0,0,0, 1,6,1,96,1,127,1,127, 3,2,1,0, 7,5,1,1,102,0,0,
  10,27,1,25,1,1,127, 3,64, 32,1,32,0,106,33,1, 32,0,65,1,107,34,0, 13,0, 11, 32,1, 11]);
const f = (await WebAssembly.instantiate(bytes)).instance.exports.f;
for (let round = 0; round < 2; round++) {
  for (let i = 0; i < 2000; i++) f(10000);
  // Tier-up compiles on a background thread.
  await new Promise((resolve) => setTimeout(resolve, 300));
}
process.stdout.write(JSON.stringify({ liftoff: %IsLiftoffFunction(f), turbofan: %IsTurboFanFunction(f) }));
`;

function tierAfterOpening(options: Record<string, unknown>): Promise<{ liftoff: boolean; turbofan: boolean }> {
  const child = spawn(process.execPath, ['--import', tsxLoader, '--allow-natives-syntax', '--input-type=module', '-e', CHILD], {
    cwd: projectRoot(),
    env: { ...process.env, DATABASE_MODULE: database, OPEN_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`child exited with ${code}: ${err}`));
      resolve(JSON.parse(out) as { liftoff: boolean; turbofan: boolean });
    });
  });
}

describe("the process's WebAssembly compiler tier", { timeout: 60_000 }, () => {
  it('stays on the baseline compiler once a database is opened with the default', async () => {
    expect(await tierAfterOpening({})).toEqual({ liftoff: true, turbofan: false });
  });

  it('tiers hot code up to the optimizing compiler with wasmTierUp', async () => {
    expect(await tierAfterOpening({ wasmTierUp: true })).toEqual({ liftoff: false, turbofan: true });
  });
});
