import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { migrate } from '../core/db/migrate.ts';
import { PgliteDb } from '../core/db/pglite.ts';

/** The role socket clients act as in read-only mode: SELECT on everything, nothing else. */
export const READER_ROLE = 'radar_reader';

export interface ServeOptions {
  /** RADAR_DATA_DIR; the embedded database lives in its `pgdata` folder. */
  dataDir: string;
  /** TCP port (default 5433, so it does not clash with a local PostgreSQL on 5432). */
  port?: number;
  /** Interface to bind (default 127.0.0.1; only widen it on a trusted network: there is no password). */
  host?: string;
  /** Serve the live database with writes allowed (default: a read-only snapshot). */
  readWrite?: boolean;
  /** Concurrent client connections (DBeaver and Metabase open several; default 16). */
  maxConnections?: number;
  onProgress?: (message: string) => void;
}

export interface RunningServer {
  /** postgres://… URL clients connect with. */
  url: string;
  readWrite: boolean;
  /** When the served snapshot was taken (read-only mode). */
  snapshotAt: Date | null;
  stop(): Promise<void>;
}

/**
 * Read-only mode serves a snapshot in memory, locked down three ways: every transaction is READ ONLY
 * by default, the session acts as a role with SELECT privileges only, and even if a client undid
 * both (PGlite's single session is a superuser that can RESET ROLE) it would only change the
 * snapshot, never the data on disk. A bonus: the live database is closed again, so crawlers and
 * scoring keep running while analysts query. Restart the server to see newer data.
 */
async function openSnapshot(dataDir: string, onProgress: (m: string) => void): Promise<PGlite> {
  const live = await PgliteDb.open(dataDir);
  let dump: Blob;
  try {
    await migrate(live);
    onProgress(`taking a read-only snapshot of ${live.target}`);
    dump = await live.pglite.dumpDataDir('none');
  } finally {
    await live.close();
  }
  const snapshot = await PGlite.create({ loadDataDir: dump });
  await snapshot.exec(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${READER_ROLE}') THEN CREATE ROLE ${READER_ROLE} NOLOGIN; END IF;
    END $$;
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    GRANT USAGE ON SCHEMA public TO ${READER_ROLE};
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${READER_ROLE};
    SET default_transaction_read_only = on;
    SET ROLE ${READER_ROLE};`);
  return snapshot;
}

/** Exposes the embedded database over the PostgreSQL wire protocol for psql, DBeaver or Metabase. */
export async function serveEmbedded(options: ServeOptions): Promise<RunningServer> {
  const onProgress = options.onProgress ?? (() => undefined);
  const port = options.port ?? 5433;
  const host = options.host ?? '127.0.0.1';
  const readWrite = options.readWrite ?? false;
  let pglite: PGlite;
  let snapshotAt: Date | null = null;
  let live: PgliteDb | null = null;
  if (readWrite) {
    live = await PgliteDb.open(options.dataDir);
    await migrate(live);
    pglite = live.pglite;
  } else {
    pglite = await openSnapshot(options.dataDir, onProgress);
    snapshotAt = new Date();
  }
  const server = new PGLiteSocketServer({ db: pglite, port, host, maxConnections: options.maxConnections ?? 16 });
  try {
    await server.start();
  } catch (error) {
    await pglite.close().catch(() => undefined);
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `postgres://postgres@${urlHost}:${port}/postgres?sslmode=disable`,
    readWrite,
    snapshotAt,
    async stop() {
      await server.stop();
      if (live) await live.close();
      else if (!pglite.closed) await pglite.close();
    },
  };
}
