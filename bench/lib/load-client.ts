/**
 * A load generator in its own process, the way wrk is used: the server under test keeps its event loop
 * (and, on a 2-core machine, a core) to itself, so a requests/s figure measures the server rather than the
 * client that shares its thread.
 *
 * The client speaks plain HTTP/1.1 over keep-alive sockets: one request in flight per connection, each
 * response read to its end by Content-Length and checked for status 200. node:http's client costs more CPU
 * per request than a fast server does, so it would put the ceiling in the client again; this one costs little
 * more than the socket reads and writes. Both sides of a comparison use the same client.
 *
 * Use {@link startLoadClient} from a suite; this file is also the child's entry point.
 */
import { fork, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Trial } from './measure.ts';

/** What one batch of requests did. */
export interface LoadTrial extends Trial {
  /** Response bytes (headers and bodies) read. */
  bytes: number;
}

/** A running load-generator child process. */
export interface LoadClient {
  /**
   * Requests every URL once, `concurrency` at a time (one per keep-alive connection). Connections are
   * opened before the clock starts. Rejects if any response is not a 200 with a Content-Length.
   */
  fire(urls: readonly string[], concurrency: number): Promise<LoadTrial>;
  close(): Promise<void>;
}

type Request = { type: 'fire'; id: number; urls: readonly string[]; concurrency: number };
type Reply = { type: 'result'; id: number; trial: LoadTrial } | { type: 'error'; id: number; message: string };

const SELF = fileURLToPath(import.meta.url);

/** Forks the load generator (through tsx, like the suite children) and waits until it is ready. */
export async function startLoadClient(): Promise<LoadClient> {
  const child: ChildProcess = fork(SELF, ['--load-client'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve(trial: LoadTrial): void; reject(error: Error): void }>();
  let nextId = 0;
  let exited = false;
  child.on('message', (message: Reply) => {
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.type === 'result') pending.resolve(message.trial);
    else pending.reject(new Error(`load client: ${message.message}`));
  });
  child.once('exit', (code, signal) => {
    exited = true;
    for (const pending of waiting.values()) pending.reject(new Error(`load client exited (${code ?? signal})`));
    waiting.clear();
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
  });
  return {
    fire(urls, concurrency) {
      if (exited) return Promise.reject(new Error('load client has exited'));
      const id = nextId++;
      return new Promise<LoadTrial>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const request: Request = { type: 'fire', id, urls, concurrency };
        child.send(request);
      });
    },
    close() {
      if (exited) return Promise.resolve();
      return new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

interface Target {
  host: string;
  port: number;
  /** The request bytes, ready to write. */
  request: Buffer;
}

function targets(urls: readonly string[]): Target[] {
  return urls.map((raw) => {
    const url = new URL(raw);
    if (url.protocol !== 'http:') throw new Error(`only http:// URLs, got ${raw}`);
    const port = Number(url.port || 80);
    const request = Buffer.from(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n`,
      'latin1',
    );
    return { host: url.hostname.replace(/^\[|\]$/gu, ''), port, request };
  });
}

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/iu;

/** One keep-alive connection that answers one request at a time. */
class Connection {
  private pending: Buffer = Buffer.alloc(0);
  private bodyLeft = -1;
  private done: ((error: Error | null, bytes: number) => void) | null = null;
  private bytes = 0;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.finish(error));
    socket.on('close', () => this.finish(new Error('connection closed by the server')));
  }

  static open(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port }, () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  send(request: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.done = (error, bytes) => (error ? reject(error) : resolve(bytes));
      this.bytes = 0;
      this.bodyLeft = -1;
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.removeAllListeners('close');
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bodyLeft < 0) {
      this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
      const end = this.pending.indexOf(HEADER_END);
      if (end < 0) return;
      const head = this.pending.toString('latin1', 0, end);
      if (!head.startsWith('HTTP/1.1 200 ')) return this.finish(new Error(`status line "${head.slice(0, head.indexOf('\r\n'))}"`));
      const length = CONTENT_LENGTH.exec(head);
      if (!length) return this.finish(new Error('response without Content-Length'));
      this.bodyLeft = Number(length[1]) - (this.pending.length - end - HEADER_END.length);
      this.pending = Buffer.alloc(0);
    } else {
      this.bodyLeft -= chunk.length;
    }
    if (this.bodyLeft === 0) this.finish(null);
    else if (this.bodyLeft < 0) this.finish(new Error('more bytes than Content-Length (no pipelining here)'));
  }

  private finish(error: Error | null): void {
    const done = this.done;
    this.done = null;
    done?.(error, this.bytes);
  }
}

/** The child side: fire a batch and report the wall time from the first write to the last byte. */
async function fire(urls: readonly string[], concurrency: number): Promise<LoadTrial> {
  const all = targets(urls);
  const first = all[0];
  if (!first) return { count: 0, seconds: 0, bytes: 0 };
  const connections = await Promise.all(
    Array.from({ length: Math.min(concurrency, all.length) }, () => Connection.open(first.host, first.port)),
  );
  let next = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  try {
    await Promise.all(
      connections.map(async (connection) => {
        while (next < all.length) {
          const target = all[next++]!;
          if (target.host !== first.host || target.port !== first.port) throw new Error('every URL of a batch must share one origin');
          bytes += await connection.send(target.request);
        }
      }),
    );
  } finally {
    for (const connection of connections) connection.close();
  }
  return { count: all.length, seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes };
}

if (process.argv[1] === SELF && process.argv.includes('--load-client')) {
  process.on('message', (message: Request) => {
    fire(message.urls, message.concurrency).then(
      (trial) => process.send!({ type: 'result', id: message.id, trial } satisfies Reply),
      (error: unknown) => process.send!({ type: 'error', id: message.id, message: (error as Error).message } satisfies Reply),
    );
  });
  process.send!({ type: 'ready' });
}
