/**
 * The server's perimeter: who may talk to it (Host), which pages may make it do things (Origin,
 * Sec-Fetch-Site), and the headers every answer carries. Wired for every path in app.ts.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { ApiErrorBody } from '../lib/api/wire.ts';
import type { ServerConfig } from './config.ts';

/** Host names that always mean this machine; the configured HOST is added to them. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

function hostName(host: string): string {
  const name = host.toLowerCase();
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}

/** The port the request actually arrived on, when served by Node (not in-process). */
function localPort(c: Context): number | undefined {
  return (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket?.localPort;
}

/**
 * `name:port` values this server answers to: loopback names and the configured HOST, on the
 * configured port or the port the connection came in on (an ephemeral port in tests).
 */
export function allowedHosts(config: ServerConfig, port?: number): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, hostName(config.host)]);
  const ports = new Set([config.port, ...(port ? [port] : [])]);
  const hosts = new Set<string>();
  for (const name of names) {
    for (const p of ports) {
      hosts.add(`${name}:${p}`);
      if (p === 80) hosts.add(name);
    }
  }
  return hosts;
}

/**
 * Every name the request is addressed by: the Host header and the request URL's host. They differ
 * when the request line is in absolute form (`GET http://evil.example/… HTTP/1.1`), which by
 * HTTP's rules overrides Host; in-process there may be no Host header at all.
 */
function requestHosts(c: Context): string[] {
  const hosts = [new URL(c.req.url).host];
  const header = c.req.header('host');
  if (header !== undefined) hosts.unshift(header);
  return hosts.map((h) => h.trim().toLowerCase());
}

const isApi = (path: string) => path === '/api' || path.startsWith('/api/');

function refuse(c: Context, status: 403 | 421, code: string, message: string): Response {
  if (isApi(c.req.path)) {
    return c.json({ error: { code, message } } satisfies ApiErrorBody, status);
  }
  return c.text(message, status);
}

/** Printable and short enough to quote back in an error message. */
const quote = (value: string) =>
  JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);

/**
 * DNS rebinding: a hostile page can make its own name resolve to 127.0.0.1, but its requests still
 * carry its own name in Host. Only this server's names are answered: 421 Misdirected Request.
 */
export function hostGuard(config: ServerConfig): MiddlewareHandler {
  return async (c, next) => {
    const allowed = allowedHosts(config, localPort(c));
    const host = requestHosts(c).find((h) => !allowed.has(h));
    if (host === undefined) return next();
    const expected = [...allowedHosts(config)].join(', ');
    return refuse(
      c,
      421,
      'wrong_host',
      `This server only answers requests addressed to ${expected}; this one was addressed to ` +
        `${quote(host)} (a protection against DNS rebinding). Open the app at ${config.origin}/.`,
    );
  };
}

/** Paths that act or hand out data: guarded for every method, GET included. */
const ACTIVE_PREFIXES = [
  '/api/',
  '/oauth2/',
  '/public/',
  // The pass-through's regional bases (upstreams.ts): /us/public/…, /eu/oauth2/access_token.
  '/us/',
  '/eu/',
  '/sim/_control',
  '/sim/oauth2/access_token',
  '/sim/public/',
];

/** True when a request to this method and path makes the server do something. */
export function isActive(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return true;
  return path === '/api' || ACTIVE_PREFIXES.some((p) => path.startsWith(p));
}

/**
 * Why a request counts as coming from another site, or null if it does not. Requests with neither
 * Origin nor Sec-Fetch-Site are not from a browser page (the SDK, curl) and pass.
 */
export function foreignReason(
  origin: string | undefined,
  site: string | undefined,
  ours: (origin: string) => boolean,
): string | null {
  const sameOrigin = origin !== undefined && ours(origin);
  if (origin !== undefined && origin !== 'null' && !sameOrigin) {
    return `the request comes from the page ${quote(origin)}, not from this app`;
  }
  if (site !== undefined) {
    const value = site.toLowerCase();
    if (value === 'cross-site') return 'the browser marked it Sec-Fetch-Site: cross-site';
    if (value === 'same-site' && !sameOrigin) {
      return 'the browser marked it Sec-Fetch-Site: same-site (another port or subdomain)';
    }
    if (value !== 'same-origin' && value !== 'none' && value !== 'same-site') {
      return `the browser marked it Sec-Fetch-Site: ${quote(site)}`;
    }
  }
  // `Origin: null` is an opaque origin (sandboxed frame, data: URL, or a same-origin form post
  // under Referrer-Policy: no-referrer). Only the browser's same-origin mark tells them apart.
  if (origin === 'null' && site?.toLowerCase() !== 'same-origin') {
    return 'it comes from an opaque origin (Origin: null)';
  }
  return null;
}

/** Told of each cross-site refusal: the answer, its body and the reason (for the live capture). */
export type RefusalHook = (c: Context, answer: Response, body: string, reason: string) => void;

/**
 * Cross-site request forgery: pages on other sites may not make this server act. Same-origin
 * pages and non-browser clients may. No CORS is ever granted, so nothing else can read answers.
 */
export function originGuard(config: ServerConfig, onRefused?: RefusalHook): MiddlewareHandler {
  return async (c, next) => {
    if (!isActive(c.req.method, c.req.path)) return next();
    const hosts = allowedHosts(config, localPort(c));
    const ours = (origin: string) => {
      const match = /^http:\/\/([^/]+)$/i.exec(origin.trim());
      return Boolean(match && hosts.has(match[1].toLowerCase()));
    };
    const reason = foreignReason(c.req.header('origin'), c.req.header('sec-fetch-site'), ours);
    if (!reason) return next();
    const message =
      `Refused: ${reason}. This local server acts only for the debugger's own pages ` +
      `(${config.origin}) and for clients that are not browsers.`;
    const answer = refuse(c, 403, 'cross_site', message);
    onRefused?.(c, answer, message, reason);
    return answer;
  };
}

/** The API's and pass-through's JSON is data, never a document: no sniffing, framing or caching. */
export const DATA_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
  'X-Frame-Options': 'DENY',
});

/** Headers every answer carries; and no answer ever grants CORS, whoever set it. */
export function baselineHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    if (!headers.has('X-Content-Type-Options')) headers.set('X-Content-Type-Options', 'nosniff');
    if (!headers.has('Referrer-Policy')) headers.set('Referrer-Policy', 'no-referrer');
    for (const name of [...headers.keys()]) {
      if (name.startsWith('access-control-')) headers.delete(name);
    }
    if (isDataPath(c.req.path)) {
      for (const [name, value] of Object.entries(DATA_HEADERS)) headers.set(name, value);
    }
  };
}

/** The app's API and the pass-through paths (not the simulator: it answers as PandaDoc would). */
function isDataPath(path: string): boolean {
  return (
    isApi(path) ||
    path === '/oauth2/access_token' ||
    path === '/oauth2/access_token/' ||
    path === '/public/v1/members/current'
  );
}
