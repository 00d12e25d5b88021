import type { MiddlewareHandler } from 'hono';

export type LogSink = (line: string) => void;

/**
 * One line per request: method, path, status, time. Never the query string (the callback carries
 * the code there), never headers or bodies (secrets and tokens travel in both).
 */
export function requestLog(sink: LogSink): MiddlewareHandler {
  return async (c, next) => {
    const t0 = performance.now();
    await next();
    const ms = (performance.now() - t0).toFixed(1);
    sink(`${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status} ${ms}ms`);
  };
}
