/**
 * A small check of HAR 1.2's required fields and their types, for two uses: the tests (a
 * sanitized file must pass with no issue at all) and evidence intake ("JSON, but not a HAR").
 * Fatal issues mean the file is not a HAR; the others are deviations real tools make (mitmproxy
 * writes pages without ids, some tools leave sizes out) that a reader can live with.
 * @see http://www.softwareishard.com/blog/har-12-spec/
 */
import type { Har } from 'har-format';

export interface HarIssue {
  /** e.g. `log.entries[3].response.status` */
  path: string;
  message: string;
  /** True when the value cannot be read as a HAR at all. */
  fatal: boolean;
}

export type HarCheck =
  { ok: true; har: Har; issues: HarIssue[] } | { ok: false; issues: HarIssue[] };

type Kind = 'string' | 'number' | 'object' | 'array' | 'boolean';

const kindOf = (v: unknown): string =>
  Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;

/** Checks a parsed JSON value; at most `limit` issues are reported. */
export function checkHar(value: unknown, limit = 100): HarCheck {
  const issues: HarIssue[] = [];
  const report = (path: string, message: string, fatal = false) => {
    if (issues.length < limit) issues.push({ path, message, fatal });
  };
  /** True when `obj[key]` has the kind; else reports it (fatal if said so). */
  const need = (
    obj: Record<string, unknown>,
    path: string,
    key: string,
    kind: Kind,
    fatal = false,
  ) => {
    const actual = kindOf(obj[key]);
    if (actual === kind) return true;
    const what = obj[key] === undefined ? 'missing' : `a ${actual}, not a ${kind}`;
    report(
      `${path}.${key}`,
      `${what} (HAR 1.2 requires ${kind === 'array' || kind === 'object' ? 'an' : 'a'} ${kind})`,
      fatal,
    );
    return false;
  };
  const pairs = (obj: Record<string, unknown>, path: string, key: string) => {
    if (!need(obj, path, key, 'array')) return;
    (obj[key] as unknown[]).forEach((item, i) => {
      const at = `${path}.${key}[${i}]`;
      if (kindOf(item) !== 'object') return report(at, 'not an object with name and value');
      need(item as Record<string, unknown>, at, 'name', 'string');
      need(item as Record<string, unknown>, at, 'value', 'string');
    });
  };

  if (kindOf(value) !== 'object') {
    report('', `the file is a JSON ${kindOf(value)}, not a HAR object with "log"`, true);
    return { ok: false, issues };
  }
  const root = value as Record<string, unknown>;
  if (!need(root, '', 'log', 'object', true)) return { ok: false, issues };
  const log = root.log as Record<string, unknown>;
  need(log, 'log', 'version', 'string');
  if (need(log, 'log', 'creator', 'object')) {
    need(log.creator as Record<string, unknown>, 'log.creator', 'name', 'string');
    need(log.creator as Record<string, unknown>, 'log.creator', 'version', 'string');
  }
  if (log.pages !== undefined && need(log, 'log', 'pages', 'array')) {
    (log.pages as unknown[]).forEach((page, i) => {
      const at = `log.pages[${i}]`;
      if (kindOf(page) !== 'object') return report(at, 'not an object');
      const p = page as Record<string, unknown>;
      need(p, at, 'startedDateTime', 'string');
      need(p, at, 'id', 'string');
      need(p, at, 'title', 'string');
      need(p, at, 'pageTimings', 'object');
    });
  }
  if (!need(log, 'log', 'entries', 'array', true)) return { ok: false, issues };
  (log.entries as unknown[]).forEach((entry, i) => checkEntry(entry, `log.entries[${i}]`));
  const fatal = issues.some((issue) => issue.fatal);
  return fatal ? { ok: false, issues } : { ok: true, har: value as Har, issues };

  function checkEntry(entry: unknown, at: string) {
    if (kindOf(entry) !== 'object') return report(at, 'not an object', true);
    const e = entry as Record<string, unknown>;
    need(e, at, 'startedDateTime', 'string');
    need(e, at, 'time', 'number');
    need(e, at, 'cache', 'object');
    if (need(e, at, 'timings', 'object')) {
      const t = e.timings as Record<string, unknown>;
      for (const key of ['send', 'wait', 'receive']) need(t, `${at}.timings`, key, 'number');
    }
    if (need(e, at, 'request', 'object', true)) {
      const req = e.request as Record<string, unknown>;
      const r = `${at}.request`;
      need(req, r, 'method', 'string', true);
      need(req, r, 'url', 'string', true);
      need(req, r, 'httpVersion', 'string');
      pairs(req, r, 'cookies');
      pairs(req, r, 'headers');
      pairs(req, r, 'queryString');
      need(req, r, 'headersSize', 'number');
      need(req, r, 'bodySize', 'number');
      if (req.postData !== undefined && need(req, r, 'postData', 'object')) {
        need(req.postData as Record<string, unknown>, `${r}.postData`, 'mimeType', 'string');
      }
    }
    if (need(e, at, 'response', 'object', true)) {
      const res = e.response as Record<string, unknown>;
      const r = `${at}.response`;
      need(res, r, 'status', 'number', true);
      need(res, r, 'statusText', 'string');
      need(res, r, 'httpVersion', 'string');
      pairs(res, r, 'cookies');
      pairs(res, r, 'headers');
      need(res, r, 'redirectURL', 'string');
      need(res, r, 'headersSize', 'number');
      need(res, r, 'bodySize', 'number');
      if (need(res, r, 'content', 'object')) {
        const c = res.content as Record<string, unknown>;
        need(c, `${r}.content`, 'size', 'number');
        need(c, `${r}.content`, 'mimeType', 'string');
        if (c.text !== undefined) need(c, `${r}.content`, 'text', 'string');
      }
    }
  }
}
