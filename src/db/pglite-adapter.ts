import { type PGlite, messages } from '@electric-sql/pglite';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { createScratchPGlite } from './scratch-pglite.js';

/**
 * `pglite-prisma-adapter` 0.7.2 with two defects fixed, used for both the Prisma
 * client and the schema engine:
 *
 * - its `executeScript` calls `client.exec(script)` without awaiting it, so the
 *   schema engine would record a migration as finished before it ran, and a
 *   failing migration would surface as an unhandled rejection instead of an error;
 * - its `connectToShadowDb` opens an in-memory PGlite that is never closed, which
 *   leaks a whole Postgres instance per diff.
 */
export class PGliteAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = 'pglite-prisma-adapter';
  readonly #inner: PrismaPGlite;

  constructor(readonly client: PGlite) {
    this.#inner = new PrismaPGlite(client);
  }

  async connect(): Promise<SqlDriverAdapter> {
    return withAwaitedScripts(await this.#inner.connect(), this.client);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return connectToScratch();
  }
}

/**
 * For work that needs no real database at all (diffing a schema against the
 * migrations folder): both the engine's main connection and its shadow database
 * are throwaway in-memory instances, each closed when the engine disposes it.
 */
export class ScratchAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = 'pglite-prisma-adapter';
  readonly #open = new Set<SqlDriverAdapter>();

  async connect(): Promise<SqlDriverAdapter> {
    return this.#track(await connectToScratch());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.#track(await connectToScratch());
  }

  /** Closes whatever the engine left open. */
  async close(): Promise<void> {
    const open = [...this.#open];
    this.#open.clear();
    await Promise.all(open.map((adapter) => adapter.dispose()));
  }

  #track(adapter: SqlDriverAdapter): SqlDriverAdapter {
    this.#open.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      this.#open.delete(adapter);
      await dispose();
    };
    return adapter;
  }
}

async function connectToScratch(): Promise<SqlDriverAdapter> {
  const scratch = await createScratchPGlite();
  const adapter = withAwaitedScripts(await new PrismaPGlite(scratch).connect(), scratch);
  adapter.dispose = async () => {
    if (!scratch.closed) await scratch.close();
  };
  return adapter;
}

function withAwaitedScripts(adapter: SqlDriverAdapter, client: PGlite): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    try {
      await client.exec(script);
    } catch (error) {
      throw toDriverAdapterError(error);
    }
  };
  return adapter;
}

/** The shape the engine turns into "ERROR: … / DETAIL: …" in its own messages. */
function toDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof messages.DatabaseError)) return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: error.code ?? 'N/A',
    severity: error.severity ?? 'ERROR',
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
  });
}
