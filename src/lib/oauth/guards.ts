/** Tiny named checks for `unknown` values that cross a boundary (fetch bodies, pasted text). */

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isString(v: unknown): v is string {
  return typeof v === 'string';
}

export function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isBoolean(v: unknown): v is boolean {
  return typeof v === 'boolean';
}

/** Shortens user- or server-supplied text before it goes into a message, so we never echo a wall of input. */
export function preview(text: string, max = 40): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/** Parses JSON without throwing; `ok: false` means the text is not JSON at all. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Detects an HTML page by content type or by a leading `<` (proxies often mislabel their error pages). */
export function looksLikeHtml(contentType: string | null, body: string): boolean {
  const type = (contentType ?? '').toLowerCase();
  return type.includes('text/html') || body.trimStart().startsWith('<');
}

/** An answer that can't be read as JSON at all. */
export interface UnreadableBody {
  ok: false;
  kind: 'html' | 'not_json';
  status: number;
  message: string;
}

/**
 * The JSON value of a response body, or why there is none: an HTML page (with `htmlHint` saying
 * what usually serves one), an empty body, or text that is not JSON.
 */
export function readJsonBody(
  status: number,
  contentType: string | null,
  rawBody: string,
  htmlHint: string,
): { ok: true; value: unknown } | UnreadableBody {
  if (looksLikeHtml(contentType, rawBody)) {
    return {
      ok: false,
      kind: 'html',
      status,
      message: `HTTP ${status}: the upstream answered an HTML page, not JSON. ${htmlHint}`,
    };
  }
  if (rawBody.trim() === '') {
    return {
      ok: false,
      kind: 'not_json',
      status,
      message: `HTTP ${status} with an empty body; expected JSON.`,
    };
  }
  const parsed = tryParseJson(rawBody);
  if (!parsed.ok) {
    return {
      ok: false,
      kind: 'not_json',
      status,
      message: `HTTP ${status}: the body is not JSON (it starts "${preview(rawBody)}").`,
    };
  }
  return parsed;
}
