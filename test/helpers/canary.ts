import http from 'node:http';
import net from 'node:net';

/** A loopback listener that must never be reached: it counts every TCP connection it gets. */
export interface Canary {
  port: number;
  url: string;
  /** Connections received so far (any protocol). */
  hits(): number;
  close(): Promise<void>;
}

export async function startCanary(): Promise<Canary> {
  let hits = 0;
  const server = http.createServer((_req, res) => res.end('canary reached'));
  server.on('connection', (socket: net.Socket) => {
    hits += 1;
    socket.on('error', () => undefined);
  });
  // WebSocket upgrades count as hits too (the connection event above); answer nothing.
  server.on('upgrade', (_req, socket: net.Socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
