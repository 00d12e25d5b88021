/**
 * A small check of HAR 1.2's required fields and their types, for two uses: the tests (a
 * sanitized file must pass with no issue at all) and evidence intake ("JSON, but not a HAR").
 * @see http://www.softwareishard.com/blog/har-12-spec/
 *
 * Each issue says how bad it is. `fatal`: the value cannot be read as a HAR at all (no log, no
 * entries, an entry without request or response). `chrome`: Chrome's DevTools importer
 * (HARFormat.ts in devtools-frontend) throws on it, e.g. a page without a valid startedDateTime,
 * as mitmproxy's har_dump writes; the rest are spec deviations importers live with.
 */
import type { Har } from 'har-format';

export interface HarIssue {
  /** e.g. `log.entries[3].response.status` */
  path: string;
  message: string;
  /** True when the value cannot be read as a HAR at all. */
  fatal: boolean;
  /** True when Chrome's DevTools would refuse to import the file because of it. */
  chrome: boolean;
}

export type HarCheck =
  { ok: true; har: Har; issues: HarIssue[] } | { ok: false; issues: HarIssue[] };

type Kind = 'string' | 'number' | 'object' | 'array';
type Level = 'fatal' | 'chrome' | 'spec';
type Obj = Record<string, unknown>;

const kindOf = (v: unknown): string =>
  Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
const article = (kind: string) => (/^[aeiou]/.test(kind) ? 'an' : 'a');

/** Checks a parsed JSON value; at most `limit` issues are reported. */
export function checkHar(value: unknown, limit = 100): HarCheck {
  const issues: HarIssue[] = [];
  const report = (path: string, message: string, level: Level) => {
    if (issues.length < limit) {
      issues.push({ path, message, fatal: level === 'fatal', chrome: level !== 'spec' });
    }
  };
  /** True when `obj[key]` is of that kind; else reports it at that level. */
  const need = (obj: Obj, path: string, key: string, kind: Kind, level: Level = 'spec') => {
    const actual = kindOf(obj[key]);
    if (actual === kind) return true;
    const what =
      obj[key] === undefined
        ? 'missing'
        : `${article(actual)} ${actual}, not ${article(kind)} ${kind}`;
    report(`${path}.${key}`, `${what} (HAR 1.2 requires ${article(kind)} ${kind})`, level);
    return false;
  };
  const date = (obj: Obj, path: string, key: string) => {
    if (!need(obj, path, key, 'string', 'chrome')) return;
    if (Number.isNaN(new Date(obj[key] as string).getTime())) {
      report(`${path}.${key}`, 'not a date (HAR 1.2 requires ISO 8601)', 'chrome');
    }
  };
  const pairs = (obj: Obj, path: string, key: string) => {
    if (!need(obj, path, key, 'array')) return;
    (obj[key] as unknown[]).forEach((item, i) => {
      const at = `${path}.${key}[${i}]`;
      if (kindOf(item) !== 'object')
        return report(at, 'not an object with name and value', 'chrome');
      need(item as Obj, at, 'name', 'string');
      need(item as Obj, at, 'value', 'string');
    });
  };

  if (kindOf(value) !== 'object') {
    report('', `the file is a JSON ${kindOf(value)}, not a HAR object with "log"`, 'fatal');
    return { ok: false, issues };
  }
  const root = value as Obj;
  if (!need(root, '', 'log', 'object', 'fatal')) return { ok: false, issues };
  const log = root.log as Obj;
  need(log, 'log', 'version', 'string');
  if (need(log, 'log', 'creator', 'object', 'chrome')) {
    need(log.creator as Obj, 'log.creator', 'name', 'string');
    need(log.creator as Obj, 'log.creator', 'version', 'string');
  }
  if (log.pages !== undefined && need(log, 'log', 'pages', 'array')) {
    (log.pages as unknown[]).forEach((page, i) => {
      const at = `log.pages[${i}]`;
      if (kindOf(page) !== 'object') return report(at, 'not an object', 'chrome');
      date(page as Obj, at, 'startedDateTime');
      need(page as Obj, at, 'id', 'string');
      need(page as Obj, at, 'title', 'string');
      need(page as Obj, at, 'pageTimings', 'object', 'chrome');
    });
  }
  if (!need(log, 'log', 'entries', 'array', 'fatal')) return { ok: false, issues };
  (log.entries as unknown[]).forEach((entry, i) => checkEntry(entry, `log.entries[${i}]`));
  const fatal = issues.some((issue) => issue.fatal);
  return fatal ? { ok: false, issues } : { ok: true, har: value as Har, issues };

  function checkEntry(entry: unknown, at: string) {
    if (kindOf(entry) !== 'object') return report(at, 'not an object', 'fatal');
    const e = entry as Obj;
    date(e, at, 'startedDateTime');
    need(e, at, 'time', 'number', 'chrome');
    need(e, at, 'cache', 'object');
    if (need(e, at, 'timings', 'object', 'chrome')) {
      for (const key of ['send', 'wait', 'receive']) {
        need(e.timings as Obj, `${at}.timings`, key, 'number', 'chrome');
      }
    }
    if (need(e, at, 'request', 'object', 'fatal')) {
      const req = e.request as Obj;
      const r = `${at}.request`;
      need(req, r, 'method', 'string', 'fatal');
      need(req, r, 'url', 'string', 'fatal');
      need(req, r, 'httpVersion', 'string');
      pairs(req, r, 'cookies');
      pairs(req, r, 'headers');
      pairs(req, r, 'queryString');
      need(req, r, 'headersSize', 'number', 'chrome');
      need(req, r, 'bodySize', 'number', 'chrome');
      if (req.postData !== undefined && need(req, r, 'postData', 'object', 'chrome')) {
        need(req.postData as Obj, `${r}.postData`, 'mimeType', 'string');
      }
    }
    if (need(e, at, 'response', 'object', 'fatal')) {
      const res = e.response as Obj;
      const r = `${at}.response`;
      need(res, r, 'status', 'number', 'chrome');
      need(res, r, 'statusText', 'string');
      need(res, r, 'httpVersion', 'string');
      pairs(res, r, 'cookies');
      pairs(res, r, 'headers');
      need(res, r, 'redirectURL', 'string');
      need(res, r, 'headersSize', 'number', 'chrome');
      need(res, r, 'bodySize', 'number', 'chrome');
      if (need(res, r, 'content', 'object', 'chrome')) {
        const c = res.content as Obj;
        need(c, `${r}.content`, 'size', 'number', 'chrome');
        need(c, `${r}.content`, 'mimeType', 'string');
        if (c.text !== undefined) need(c, `${r}.content`, 'text', 'string');
      }
    }
  }
}
