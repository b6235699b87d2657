import { PGlite } from '@electric-sql/pglite';

/**
 * Fresh in-memory PGlite instances (shadow databases for diffs, `memory://`
 * databases in tests).
 *
 * A fresh `memory://` PGlite runs initdb, 2–4 s on these machines; loading a
 * snapshot of a freshly initialised one takes under 1 s. The first instance of a
 * process pays for initdb, the snapshot (about 40 MB) is kept for the rest. Only
 * processes that diff or use in-memory databases (tests) ever create one.
 */
let template: Promise<Blob> | undefined;

export async function createScratchPGlite(): Promise<PGlite> {
  if (template !== undefined) {
    return PGlite.create({ dataDir: 'memory://', loadDataDir: await template });
  }
  const first = PGlite.create({ dataDir: 'memory://' });
  // Set before any await, so concurrent callers wait for this snapshot instead of
  // each running initdb. Taken before anything is written to `first`.
  const snapshot = first.then((client) => client.dumpDataDir('none'));
  template = snapshot;
  snapshot.catch(() => {
    if (template === snapshot) template = undefined;
  });
  await snapshot;
  return first;
}
