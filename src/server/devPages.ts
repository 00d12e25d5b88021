/**
 * The page headers under Vite's dev server (`npm run dev`), so dev behaves as `npm start` does:
 * the same Content-Security-Policy, Referrer-Policy, nosniff and framing rules on every page
 * Vite serves, and `/callback` (which carries the code) never cached.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
import { PAGE_CSP, pageHeaders } from './pages.ts';

/**
 * One difference from `npm start`: Vite injects each component's CSS as a `<style>` element while
 * developing, which `style-src 'self'` would block, so dev also allows inline styles. Scripts,
 * connections, framing and everything else are held to the production policy.
 */
export const DEV_PAGE_CSP = PAGE_CSP.replace(
  "style-src 'self'",
  "style-src 'self' 'unsafe-inline'",
);

export function devPageHeaders(): Record<string, string> {
  return { ...pageHeaders(), 'Content-Security-Policy': DEV_PAGE_CSP };
}

/** Serves `/callback` itself (Vite would send it `Cache-Control: no-cache`): `no-store`, as in production. */
export function devCallbackPage(server: ViteDevServer) {
  return async (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => {
    const url = req.url ?? '/';
    if (url.split('?')[0] !== '/callback' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return next();
    }
    try {
      const source = await readFile(join(server.config.root, 'index.html'), 'utf8');
      const html = await server.transformIndexHtml(url, source);
      res.writeHead(200, {
        ...devPageHeaders(),
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : html);
    } catch (error) {
      next(error);
    }
  };
}
