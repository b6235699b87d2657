import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, Measurement } from './harness.js';
import { serviceAvailable } from './services.js';

/**
 * `npm run bench [-- name …]`: runs every benchmark (or the named ones), prints a
 * table and writes bench/results/<timestamp>.json. Benchmarks start the
 * compiled gateway, so this builds first.
 */
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');

async function loadBenchmarks(): Promise<Benchmark[]> {
  const files = readdirSync(here).filter((file) => file.endsWith('.bench.ts')).sort();
  const all: Benchmark[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(join(here, file)).href)) as { benchmarks?: Benchmark[] };
    all.push(...(module.benchmarks ?? []));
  }
  return all;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  const benchmarks = (await loadBenchmarks()).filter((bench) => wanted.length === 0 || wanted.includes(bench.name));
  if (benchmarks.length === 0) {
    console.error(`No benchmark named ${wanted.join(', ')}`);
    process.exitCode = 1;
    return;
  }
  const results: Array<{ benchmark: string; description: string; skipped?: string; measurements: Measurement[] }> = [];
  for (const bench of benchmarks) {
    const missing = [];
    for (const service of bench.needs ?? []) if (!(await serviceAvailable(service))) missing.push(service);
    if (missing.length > 0) {
      console.log(`\n# ${bench.name}: skipped, needs ${missing.join(' and ')}`);
      results.push({ benchmark: bench.name, description: bench.description, skipped: `needs ${missing.join(', ')}`, measurements: [] });
      continue;
    }
    console.log(`\n# ${bench.name}: ${bench.description}`);
    const measurements = await bench.run();
    results.push({ benchmark: bench.name, description: bench.description, measurements });
    console.table(
      measurements.map((m) => ({
        metric: m.metric,
        value: `${format(m.value)} ${m.unit}`,
        baseline: m.baseline ? `${format(m.baseline.value)} ${m.unit} (${m.baseline.name})` : '',
        ratio: m.ratio === undefined ? '' : `${format(m.ratio)}×`,
        goal: m.goal ?? '',
        pass: m.pass === undefined ? '' : m.pass ? 'yes' : 'NO',
      })),
    );
  }
  const dir = join(here, 'results');
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, results }, null, 2),
  );
  console.log(`\nWrote ${file}`);
}

await main();
