import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import { serveStatic } from '@hono/node-server/serve-static';
import {
  ENCODINGS,
  type Encoding,
  isCompressible,
  isVariant,
  listFiles,
  pickEncoding,
} from './encoding.ts';

/** Headers for every page of the app: no inline script, no framing, no referrer leaks. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function pageHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': PAGE_CSP,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  };
}

/** One file of the build and the compressed copies the build wrote beside it. */
interface BuiltFile {
  path: string;
  compressible: boolean;
  encodings: ReadonlySet<Encoding>;
  /** Bytes per encoding ('identity' too), read on first use and kept: the build is small. */
  bytes: Map<Encoding | 'identity', Promise<Uint8Array<ArrayBuffer>>>;
}

/** The build's files by URL path (`/assets/index-x.js`), listed once. */
async function indexBuild(distDir: string): Promise<Map<string, BuiltFile>> {
  const files = await listFiles(distDir);
  const present = new Set(files);
  const index = new Map<string, BuiltFile>();
  for (const path of files.filter((f) => !isVariant(f))) {
    const compressible = isCompressible(path);
    const encodings = new Set(
      ENCODINGS.filter(([, suffix]) => compressible && present.has(path + suffix)).map(([e]) => e),
    );
    index.set(`/${path}`, { path, compressible, encodings, bytes: new Map() });
  }
  return index;
}

const SUFFIX = Object.fromEntries(ENCODINGS) as Record<Encoding, string>;

/**
 * Sends a built file, compressed when the client accepts one of the encodings the build wrote
 * (`Vary: Accept-Encoding` on every compressible file, so no cache hands one client's bytes to
 * another), as it is otherwise. Images and fonts go as they are.
 */
async function sendFile(
  c: Context,
  distDir: string,
  file: BuiltFile,
  cacheControl?: string,
): Promise<Response> {
  const encoding = pickEncoding(c.req.header('Accept-Encoding'), file.encodings);
  const key = encoding ?? 'identity';
  let bytes = file.bytes.get(key);
  if (!bytes) {
    bytes = readFile(join(distDir, file.path + (encoding ? SUFFIX[encoding] : ''))).then(
      // readFile's buffer is its own (never pooled or shared): a view on it, no copy.
      (b) => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.length),
    );
    file.bytes.set(key, bytes);
    bytes.catch(() => file.bytes.delete(key));
  }
  const body = await bytes;
  const headers: Record<string, string> = {
    'Content-Type': getMimeType(file.path) ?? 'application/octet-stream',
    'Content-Length': String(body.length),
  };
  if (file.compressible) headers.Vary = 'Accept-Encoding';
  if (encoding) headers['Content-Encoding'] = encoding;
  if (cacheControl) headers['Cache-Control'] = cacheControl;
  return c.body(body, 200, headers);
}

/** Serves the built app from distDir; `/` and `/callback` are the single page. */
export function createPages(distDir: string): Hono {
  const app = new Hono();
  let built: Promise<Map<string, BuiltFile>> | null = null;
  const index = () => {
    built ??= indexBuild(distDir);
    built.catch(() => (built = null));
    return built;
  };
  const page = async (c: Context, cacheControl: string) => {
    const file = (await index()).get('/index.html');
    if (!file) throw new Error('No index.html in the build.');
    return sendFile(c, distDir, file, cacheControl);
  };

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(pageHeaders())) c.res.headers.set(k, v);
  });
  app.get('/', (c) => page(c, 'no-cache'));
  // The callback URL carries the authorization code: never cache it anywhere.
  app.get('/callback', (c) => page(c, 'no-store'));
  app.get('*', async (c, next) => {
    const file = (await index()).get(c.req.path);
    if (!file) return next();
    // Hashed names under /assets/ never change content.
    const immutable = c.req.path.startsWith('/assets/');
    return sendFile(
      c,
      distDir,
      file,
      immutable ? 'public, max-age=31536000, immutable' : undefined,
    );
  });
  // Anything added to the build after the server started.
  app.use('*', serveStatic({ root: distDir }));
  return app;
}
