import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

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

/** Serves the built app from distDir; `/` and `/callback` are the single page. */
export function createPages(distDir: string): Hono {
  const app = new Hono();
  let index: Promise<string> | null = null;
  const html = () => (index ??= readFile(join(distDir, 'index.html'), 'utf8'));

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(pageHeaders())) c.res.headers.set(k, v);
  });
  app.get('/', async (c) => c.html(await html(), 200, { 'Cache-Control': 'no-cache' }));
  // The callback URL carries the authorization code: never cache it anywhere.
  app.get('/callback', async (c) => c.html(await html(), 200, { 'Cache-Control': 'no-store' }));
  app.use(
    '/assets/*',
    serveStatic({
      root: distDir,
      onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  app.use('*', serveStatic({ root: distDir }));
  return app;
}
