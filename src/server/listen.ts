import { STATUS_CODES, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createAdaptorServer, type serve } from '@hono/node-server';
import type { MiddlewareHandler } from 'hono';

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

/**
 * Connections waiting to be accepted. Node's default (511) is just above 500 clients arriving at
 * once; the kernel caps it at net.core.somaxconn.
 */
export const LISTEN_BACKLOG = 2048;

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
  /**
   * Told of each request Node's HTTP parser refuses (before answering it as Node does).
   * `inFlight`: the app already has the request (the parser failed in its body), and records it.
   */
  onClientError?: (error: ClientError, inFlight: boolean) => void;
}

/** What Node's parser gave up on, as its clientError event says. */
export interface ClientError {
  code?: string;
  /** The bytes it was reading when it gave up. */
  rawPacket?: Buffer;
}

/** The status Node answers a client error with (lib/_http_server.js, socketOnError). */
export const clientErrorStatus = (code: string | undefined): 400 | 408 | 413 | 431 =>
  code === 'HPE_HEADER_OVERFLOW'
    ? 431
    : code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
      ? 413
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400;

/** The answer on the socket of a request in progress, if any. */
const inFlightAnswer = (socket: Socket) =>
  (socket as { _httpMessage?: { _headerSent?: boolean } | null })._httpMessage ?? null;

/**
 * What Node does with a client error when nobody listens for it, done here for a server that
 * does: its answer, byte for byte, unless an answer on that connection has already started, then
 * the connection closed.
 */
export function answerClientError(error: ClientError & Error, socket: Socket): void {
  if (error.code !== 'ECONNRESET' && socket.writable && !inFlightAnswer(socket)?._headerSent) {
    const status = clientErrorStatus(error.code);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
  }
  socket.destroy(error);
}

/** `serve` with the timeouts applied: what `npm start` runs, and what the socket tests run. */
export function startServer(
  { fetch, hostname, port, timeouts, onClientError }: StartOptions,
  onListening?: (info: AddressInfo) => void,
): Server {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const server = createAdaptorServer({
    fetch,
    hostname,
    serverOptions: {
      headersTimeout: t.headersTimeoutMs,
      requestTimeout: t.requestTimeoutMs,
      keepAliveTimeout: t.keepAliveTimeoutMs,
      connectionsCheckingInterval: t.checkIntervalMs,
    },
  }) as Server;
  server.listen({ port, host: hostname, backlog: LISTEN_BACKLOG }, () => {
    onListening?.(server.address() as AddressInfo);
  });
  if (onClientError) {
    server.on('clientError', (error: ClientError & Error, socket: Socket) => {
      try {
        onClientError(error, inFlightAnswer(socket) !== null);
      } catch {
        // Recording a refused request must never change how it is refused.
      }
      answerClientError(error, socket);
    });
  }
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

/**
 * A request refused for its body (413) may still be sending that body: the answer says
 * `Connection: close`, so a pooled client opens a new connection for its next request instead of
 * writing it into one the server is about to close.
 */
export function closeAfterRefusedBody(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status === 413) c.res.headers.set('Connection', 'close');
  };
}
