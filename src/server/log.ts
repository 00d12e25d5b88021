import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

export type LogSink = (line: string) => void;

/**
 * Control characters (C0, DEL, C1), the Unicode line and paragraph separators, and the backslash
 * that introduces an escape: written as `\xNN` / `\uNNNN`, so no request can start a line of its
 * own in stdout or LOG_FILE, and an escape in the log always means one.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/g;

export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    if (ch === '\\') return '\\\\';
    const code = ch.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The path as it arrived (percent-encoded, never decoded: `%0A` stays three characters). */
function rawPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * One line per request, always: method, path, status, time, and the error's name when the
 * server failed on it. Never the query string (the callback carries the code there), never
 * headers or bodies (secrets and tokens travel in both), never an error's message (it could
 * quote the request).
 */
export function requestLog(sink: LogSink): MiddlewareHandler {
  return async (c, next) => {
    const t0 = performance.now();
    await next();
    const ms = (performance.now() - t0).toFixed(1);
    const error = c.error && !(c.error instanceof HTTPException) ? ` error ${c.error.name}` : '';
    sink(escapeControl(`${c.req.method} ${rawPath(c.req.url)} ${c.res.status} ${ms}ms${error}`));
  };
}
