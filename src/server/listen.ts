import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/**
 * Bounds on what one client can hold: a client that trickles its headers or body, or idles on a
 * kept-alive connection, is cut off, and never slows anyone else down (Node serves them all).
 */
export interface ServerTimeouts {
  /** The request line and headers must arrive within this time (then 408 and close). */
  headersTimeoutMs: number;
  /** The whole request (headers and body) must arrive within this time. */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this time. */
  keepAliveTimeoutMs: number;
  /** A connection with no traffic at all for this long is destroyed. Above any upstream timeout. */
  idleTimeoutMs: number;
  /** How often Node checks the header and request timeouts. */
  checkIntervalMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<ServerTimeouts> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 120_000,
  checkIntervalMs: 1_000,
});

export interface StartOptions {
  fetch: Parameters<typeof serve>[0]['fetch'];
  hostname: string;
  port: number;
  timeouts?: Partial<ServerTimeouts>;
}

/** `serve` with the timeouts applied: what `npm start` runs, and what the socket tests run. */
export function startServer(
  { fetch, hostname, port, timeouts }: StartOptions,
  onListening?: (info: AddressInfo) => void,
): Server {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const server = serve(
    {
      fetch,
      hostname,
      port,
      serverOptions: {
        headersTimeout: t.headersTimeoutMs,
        requestTimeout: t.requestTimeoutMs,
        keepAliveTimeout: t.keepAliveTimeoutMs,
        connectionsCheckingInterval: t.checkIntervalMs,
      },
    },
    onListening,
  ) as Server;
  server.headersTimeout = t.headersTimeoutMs;
  server.requestTimeout = t.requestTimeoutMs;
  server.keepAliveTimeout = t.keepAliveTimeoutMs;
  server.timeout = t.idleTimeoutMs;
  return server;
}

/** Starts on an address and resolves once listening, with the port actually bound. */
export function listen(
  options: StartOptions,
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = startServer(options, (info) => {
      server.off('error', reject);
      resolve({
        server,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.once('error', reject);
  });
}
