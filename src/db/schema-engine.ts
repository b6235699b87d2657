// Prisma's schema engine compiled to WebAssembly, driven through a driver adapter.
//
// Loaded only when something must be migrated or diffed: compiling the 5 MB
// module costs far more than opening the database, and a normal start that finds
// nothing pending never pays it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { DatabaseError } from './errors.js';

type Bindings = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/** wasm-bindgen's generated glue module keeps the instance in a module-level
 * variable, so there can be exactly one instance per process: it is created once
 * and shared by every engine (each engine is a separate object inside it). */
let bindings: Promise<Bindings> | undefined;

/** How long the last load took, for the startup log and the docs' figures. */
export interface SchemaEngineLoadTiming {
  compileMs: number;
  instantiateMs: number;
}

let lastLoadTiming: SchemaEngineLoadTiming | undefined;

/** Timing of the engine's load in this process, or undefined when not loaded yet. */
export function schemaEngineLoadTiming(): SchemaEngineLoadTiming | undefined {
  return lastLoadTiming;
}

/**
 * The engine arms 10 s timers (internal sleeps it never cancels) through its
 * JS glue. Referenced, they keep a process that has finished migrating alive
 * for 10 s: `npm run db:migrate` and `npm install` would just sit there.
 * Unreferenced, they still fire while the process runs, but no longer hold it.
 */
function withUnrefTimers(glue: Bindings): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(glue)) {
    if (!name.startsWith('__wbg_setTimeout_')) continue;
    const original = (glue as unknown as Record<string, (callback: () => void, ms: number) => NodeJS.Timeout>)[name]!;
    imports[name] = (callback: () => void, ms: number) => {
      const timer = original(callback, ms);
      timer.unref();
      return timer;
    };
  }
  return imports;
}

function loadBindings(): Promise<Bindings> {
  bindings ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package's entry imports the .wasm as an ES module (bundler style), which
    // Node cannot do, so the glue is loaded alone and the binary instantiated here.
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue: Bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
    const t0 = performance.now();
    const module = await WebAssembly.compile(bytes);
    const t1 = performance.now();
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': withUnrefTimers(glue) as WebAssembly.ModuleImports });
    const exports = instance.exports as { __wbindgen_start: () => void };
    glue.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    lastLoadTiming = { compileMs: t1 - t0, instantiateMs: performance.now() - t1 };
    return glue;
  })().catch((error: unknown) => {
    bindings = undefined;
    throw new DatabaseError(`Cannot load Prisma's WebAssembly schema engine: ${String(error)}`, { cause: error });
  });
  return bindings;
}

/**
 * Runs `work` with a schema engine connected through `factory`, then frees the
 * engine. The Prisma schema given is only used where the engine needs a
 * datamodel (diffs take theirs per call), so it may be omitted.
 */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: { schema?: { path: string; content: string }; logger?: Logger },
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const glue = await loadBindings();
  const logger = options.logger;
  // The engine reports its tracing events as JSON strings; they are debugging aids
  // only, errors come back as rejections.
  const log = (line: string) => logger?.debug({ engine: safeJson(line) }, 'schema engine');
  const datamodels: [string, string][] | undefined = options.schema
    ? [[options.schema.path, options.schema.content]]
    : undefined;
  // Without binding, the engine calls the adapter's methods detached and `this` is lost.
  const bound = bindMigrationAwareSqlAdapterFactory(factory);
  let engine: SchemaEngine;
  try {
    engine = await glue.SchemaEngine.new({ datamodels }, log, bound);
  } catch (error) {
    throw new DatabaseError(`Cannot start the schema engine: ${engineMessage(error)}`, { cause: error });
  }
  try {
    return await work(engine);
  } catch (error) {
    throw error instanceof DatabaseError ? error : new DatabaseError(engineMessage(error), { cause: error });
  } finally {
    engine.free();
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return line;
  }
}

/**
 * The engine's errors are several lines: the message, sometimes a generic first
 * line ("external connector error"), then a numbered trace of engine internals.
 * Operators need the message only, on one line.
 */
export function engineMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^\d+: /.test(line)) break;
    if (line === '' || line === 'external connector error') continue;
    lines.push(line);
  }
  return lines.join(' ') || text.trim();
}
