import { setFlagsFromString } from 'node:v8';

/**
 * Which of V8's WebAssembly compilers this process may use, decided once.
 *
 * Prisma's query compiler is a WebAssembly module (and so is the embedded
 * PGlite). V8 compiles it with Liftoff, its baseline compiler, then
 * recompiles the functions that run hot with TurboFan on background threads.
 * Prisma runs its compiler only for a query shape it has not planned before
 * (plans are cached), so that second tier buys little, and what its
 * background compilations allocate stays in glibc's per-thread arenas after
 * they end, in the gateway and in every inventory sync. Measured in
 * docs/real-sources.md ("WebAssembly on Liftoff, and the batches past
 * Prisma's debug histories").
 *
 * The flag is process-wide and read when a module is compiled, so it must be
 * set before the first Prisma client connects; the first call decides.
 */
let decided: boolean | undefined;

export function settleWasmTier(tierUp: boolean): void {
  if (decided !== undefined) return;
  decided = tierUp;
  // With the two flags --liftoff-only implies on a command line: set at run time, V8 13 (Node 24)
  // does not derive them, and hot code still reached TurboFan.
  if (!tierUp) setFlagsFromString('--liftoff-only --no-wasm-tier-up --no-wasm-dynamic-tiering');
}
