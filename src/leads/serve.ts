import { timingSafeEqual, createHash } from 'node:crypto';
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { migrationStatus } from '../core/db/migrate.ts';
import { PgliteDb } from '../core/db/pglite.ts';
import { UserError } from '../core/errors.ts';
import { READER_ROLE, becomeReaderForSession, lockDownForReader, readerRoleExists } from '../core/db/stores/reader.ts';
import { loadServeGuard, refusalReason } from './serve-guard.ts';

export { READER_ROLE };

export interface ServeOptions {
  /** RADAR_DATA_DIR; the embedded database lives in its `pgdata` folder. */
  dataDir: string;
  /** TCP port. @default 5433 (no clash with a local PostgreSQL on 5432) */
  port?: number;
  /** Interface to bind; anything beyond loopback needs `password`. @default '127.0.0.1' */
  host?: string;
  /** Serve the live database with writes allowed. @default false (a read-only snapshot) */
  readWrite?: boolean;
  /** Concurrent client connections; each read-only client holds its own copy in memory. @default 8 */
  maxConnections?: number;
  /** Password every client must send (any user name). Required to bind beyond loopback; without it (or empty), loopback clients need none. */
  password?: string;
  /** A client idle inside a transaction this long is disconnected (its transaction rolled back). @default 60000 */
  idleInTransactionTimeoutMs?: number;
  /** Progress lines (snapshot, listening) for stderr. Without it, the server is silent. */
  onProgress?: (message: string) => void;
}

export interface RunningServer {
  /** postgres://… URL clients connect with (the password is not in it). */
  url: string;
  readWrite: boolean;
  /** When the served snapshot was taken (read-only mode). */
  snapshotAt: Date | null;
  stop(): Promise<void>;
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return net.isIPv4(bare) && bare.startsWith('127.');
}

/** One client's database: its own PGlite (read-only) or a turn on the shared live one (read-write). */
interface Session {
  pglite: PGlite;
  /** Runs `fn` holding the database; a client inside a transaction keeps it until the transaction ends. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** The client went away: roll back what it left open and free the database. */
  end(): Promise<void>;
}

async function takeSnapshot(dataDir: string, onProgress: (m: string) => void): Promise<Blob> {
  const live = await PgliteDb.open(dataDir);
  try {
    await assertMigrated(live);
    onProgress(`taking a read-only snapshot of ${live.target}`);
    return await live.pglite.dumpDataDir('none');
  } finally {
    await live.close();
  }
}

async function assertMigrated(db: PgliteDb): Promise<void> {
  const status = await migrationStatus(db);
  if (status.pending.length > 0) {
    throw new UserError(`${db.target} is not migrated (${status.pending.length} pending migration(s)); run \`radar migrate\` first`);
  }
}

/**
 * The template every read-only client copies: the snapshot with the reader's escape routes
 * removed for good (no set_config, no plpgsql), so even a client that got past the statement
 * guard could not change role.
 */
async function prepareTemplate(snapshot: Blob): Promise<Blob> {
  const template = await PGlite.create({ loadDataDir: snapshot });
  try {
    const db: Pick<PgliteDb, 'query' | 'exec'> = {
      query: async (text, params) => {
        const r = await template.query<never>(text, params as unknown[] | undefined);
        return { rows: r.rows, rowCount: r.rows.length };
      },
      exec: async (text) => void (await template.exec(text)),
    };
    if (!(await readerRoleExists(db))) throw new UserError(`the role ${READER_ROLE} is missing; run \`radar migrate\``);
    await lockDownForReader(db);
    return await template.dumpDataDir('none');
  } finally {
    await template.close();
  }
}

function readOnlySessionFactory(template: Blob, idleMs: number): () => Promise<Session> {
  return async () => {
    const pglite = await PGlite.create({ loadDataDir: template });
    await becomeReaderForSession({ exec: async (text) => void (await pglite.exec(text)) }, idleMs);
    return {
      pglite,
      run: (fn) => fn(),
      end: () => pglite.close(),
    };
  };
}

/** Read-write: one live session, handed to one client at a time (for the whole of its transaction). */
function sharedSessionFactory(pglite: PGlite): () => Promise<Session> {
  let holder: object | null = null;
  const waiting: (() => void)[] = [];
  const release = () => {
    holder = null;
    waiting.shift()?.();
  };
  return async () => {
    const me = {};
    return {
      pglite,
      async run(fn) {
        while (holder !== null && holder !== me) await new Promise<void>((resolve) => waiting.push(resolve));
        holder = me;
        try {
          return await fn();
        } finally {
          if (!pglite.isInTransaction()) release();
        }
      },
      async end() {
        if (holder === me) {
          if (pglite.isInTransaction()) await pglite.exec('ROLLBACK').catch(() => undefined);
          release();
        }
      },
    };
  };
}

const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function errorResponse(severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer {
  const field = (tag: string, value: string) => Buffer.concat([Buffer.from(tag, 'latin1'), Buffer.from(value, 'utf8'), Buffer.from([0])]);
  return message('E', Buffer.concat([field('S', severity), field('V', severity), field('C', code), field('M', text), Buffer.from([0])]));
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** A statement PostgreSQL rejects while parsing, carrying the refusal in its error message. */
function refusalQuery(reason: string): string {
  const text = `radar db serve is read-only and refuses ${reason}`.replace(/'/g, "''");
  return `SELECT '${text}'::int`;
}

/** Replaces a refused statement with {@link refusalQuery}, so PGlite itself reports the error in protocol order. */
function guardMessage(type: string, frame: Buffer): Buffer {
  if (type === 'Q') {
    const sql = frame.toString('utf8', 5, frame.length - 1);
    const reason = refusalReason(sql);
    if (!reason) return frame;
    return message('Q', Buffer.concat([Buffer.from(refusalQuery(reason), 'utf8'), Buffer.from([0])]));
  }
  if (type === 'P') {
    const nameEnd = frame.indexOf(0, 5);
    const queryEnd = frame.indexOf(0, nameEnd + 1);
    const sql = frame.toString('utf8', nameEnd + 1, queryEnd);
    const reason = refusalReason(sql);
    if (!reason) return frame;
    const name = frame.subarray(5, nameEnd + 1);
    return message('P', Buffer.concat([name, Buffer.from(refusalQuery(reason), 'utf8'), Buffer.from([0]), Buffer.from([0, 0])]));
  }
  return frame;
}

interface ConnectionOptions {
  /** Cleartext password the client must send. Without it, the client is let in after startup. */
  password?: string;
  readOnly: boolean;
  idleMs: number;
  newSession: () => Promise<Session>;
}

/** One client: startup, optional cleartext password, then every message forwarded to its session. */
function handleConnection(socket: net.Socket, options: ConnectionOptions, sessions: Set<Session>): void {
  let buffer = Buffer.alloc(0);
  let phase: 'startup' | 'password' | 'ready' | 'closed' = 'startup';
  let startup: Buffer | null = null;
  let session: Session | null = null;
  let idleTimer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();

  const close = (final?: Buffer) => {
    if (phase === 'closed') return;
    phase = 'closed';
    clearTimeout(idleTimer);
    if (final && socket.writable) socket.end(final);
    else socket.destroy();
    if (session) {
      sessions.delete(session);
      void session.end().catch(() => undefined);
    }
  };
  const exec = async (frame: Buffer) => {
    const current = session!;
    await current.run(async () => {
      await current.pglite.execProtocolRawStream(new Uint8Array(frame), {
        onRawData: (chunk) => {
          if (chunk.length > 0 && socket.writable) socket.write(Buffer.from(chunk));
        },
      });
    });
    clearTimeout(idleTimer);
    if (current.pglite.isInTransaction() && options.idleMs > 0) {
      idleTimer = setTimeout(
        () => close(errorResponse('FATAL', '25P03', `terminating connection: idle in transaction for more than ${options.idleMs} ms`)),
        options.idleMs,
      );
      idleTimer.unref();
    }
  };
  const begin = async () => {
    session = await options.newSession();
    if (phase === 'closed') return void (await session.end());
    sessions.add(session);
    phase = 'ready';
    await exec(startup!);
  };

  const step = async (): Promise<void> => {
    while (phase !== 'closed') {
      if (phase === 'startup') {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (length < 8 || length > 10_000) return close();
        if (buffer.length < length) return;
        const frame = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        const code = frame.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST || code !== PROTOCOL_3) return close();
        startup = Buffer.from(frame);
        if (options.password !== undefined) {
          phase = 'password';
          const ask = Buffer.alloc(4);
          ask.writeInt32BE(3, 0); // AuthenticationCleartextPassword
          socket.write(message('R', ask));
          continue;
        }
        await begin();
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      if (length < 4) return close();
      if (buffer.length < length + 1) return;
      const frame = Buffer.from(buffer.subarray(0, length + 1));
      buffer = buffer.subarray(length + 1);
      const type = String.fromCharCode(frame[0]!);
      if (phase === 'password') {
        const given = type === 'p' ? frame.toString('utf8', 5, frame.length - 1) : '';
        if (!sameSecret(given, options.password!)) return close(errorResponse('FATAL', '28P01', 'password authentication failed'));
        await begin();
        continue;
      }
      if (type === 'X') return close();
      await exec(options.readOnly ? guardMessage(type, frame) : frame);
    }
  };

  socket.setNoDelay(true);
  socket.on('data', (data: Buffer) => {
    buffer = Buffer.concat([buffer, data]);
    chain = chain
      .then(step)
      .catch((error: unknown) => close(errorResponse('FATAL', 'XX000', `radar db serve: ${(error as Error).message}`)));
  });
  socket.on('error', () => close());
  socket.on('close', () => close());
}

/** Exposes the embedded database over the PostgreSQL wire protocol for psql, DBeaver or Metabase. */
export async function serveEmbedded(options: ServeOptions): Promise<RunningServer> {
  const onProgress = options.onProgress ?? (() => undefined);
  const port = options.port ?? 5433;
  const host = options.host ?? '127.0.0.1';
  const readWrite = options.readWrite ?? false;
  const idleMs = options.idleInTransactionTimeoutMs ?? 60_000;
  const password = options.password === '' ? undefined : options.password;
  if (!isLoopbackHost(host) && password === undefined) {
    throw new UserError(
      `refusing to serve on ${host} without a password: set RADAR_DB_SERVE_PASSWORD (or --password), or keep --host 127.0.0.1`,
    );
  }
  let snapshotAt: Date | null = null;
  let live: PgliteDb | null = null;
  let newSession: () => Promise<Session>;
  if (readWrite) {
    live = await PgliteDb.open(options.dataDir);
    try {
      await assertMigrated(live);
    } catch (error) {
      await live.close();
      throw error;
    }
    newSession = sharedSessionFactory(live.pglite);
  } else {
    await loadServeGuard();
    const template = await prepareTemplate(await takeSnapshot(options.dataDir, onProgress));
    snapshotAt = new Date();
    newSession = readOnlySessionFactory(template, idleMs);
  }
  const sessions = new Set<Session>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    handleConnection(socket, { password, readOnly: !readWrite, idleMs, newSession }, sessions);
  });
  server.maxConnections = options.maxConnections ?? 8;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    if (live) await live.close().catch(() => undefined);
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `postgres://${READER_ROLE}@${urlHost}:${port}/postgres?sslmode=disable`,
    readWrite,
    snapshotAt,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await Promise.all([...sessions].map((session) => session.end().catch(() => undefined)));
      if (live) await live.close();
    },
  };
}
