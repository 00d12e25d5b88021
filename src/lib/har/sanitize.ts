/**
 * The one HAR sanitizer (issues 10 and 11): every secret replaced by its fingerprint wherever it
 * appears, then the whole output searched for every secret in every form; a file that still holds
 * one is refused, with the places named. See secretFields.ts for what is (and is not) a secret.
 */
import type { Entry, Har } from 'har-format';
import { fingerprintAll } from '../fingerprint.ts';
import { collectSecrets } from './collect.ts';
import type { SanitizeHar, SanitizeResult } from './contract.ts';
import { LeakSearch } from './leaks.ts';
import { Replacer, isUrlLike } from './replace.ts';
import {
  base64ToBytes,
  bytesToBase64,
  isCredentialHeader,
  parseCredential,
  secretKind,
} from './secretFields.ts';

export type { LeakReport, SanitizeResult } from './contract.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/** Short secrets in `name=value` parameters of a URL or form body (long ones are already gone). */
function replaceShortParams(text: string, replacer: Replacer): string {
  return text.replace(/([?&#]|^)([^=&#?]+)=([^&#]*)/g, (whole, lead: string, name, value) => {
    let decodedName: string;
    let decoded: string;
    try {
      decodedName = decodeURIComponent(name.replace(/\+/g, ' '));
      decoded = decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      return whole;
    }
    const print = secretKind(decodedName) ? replacer.fingerprintOf(decoded) : undefined;
    if (print === undefined) return whole;
    replacer.count++;
    return `${lead}${name}=${encodeURIComponent(print)}`;
  });
}

/** A base64 body: decoded, sanitized as text (or as bytes, for binary), re-encoded. */
function replaceBase64(text: string, replacer: Replacer): string {
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(text);
  } catch {
    return replacer.replace(text);
  }
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Binary: secrets are text, so look for their UTF-8 bytes in a byte-per-character view.
    const binary = Array.from(bytes, (b) => String.fromCharCode(b)).join('');
    const view = replacer.replace(binary);
    if (view === binary) return text;
    // Original bytes are chars up to 0xff; a fingerprint's `…` goes back in as its UTF-8 bytes.
    const out: number[] = [];
    for (const ch of view) {
      const code = ch.codePointAt(0) ?? 0;
      if (code <= 0xff) out.push(code);
      else out.push(...new TextEncoder().encode(ch));
    }
    return bytesToBase64(Uint8Array.from(out));
  }
  const replaced = replacer.replace(decoded);
  return replaced === decoded ? text : bytesToBase64(new TextEncoder().encode(replaced));
}

function sanitizeNode(node: unknown, replacer: Replacer): unknown {
  if (typeof node === 'string') {
    const replaced = replacer.replace(node);
    return isUrlLike(replaced) ? replaceShortParams(replaced, replacer) : replaced;
  }
  if (Array.isArray(node)) return node.map((item) => sanitizeNode(item, replacer));
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  // Cookie values are not URL-encoded: `a=b` in a Cookie header is not a form body.
  const cookieHeader = typeof node.name === 'string' && /^(set-)?cookie$/i.test(node.name);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'text' && node.encoding === 'base64' && typeof value === 'string') {
      out[key] = replaceBase64(value, replacer);
    } else if (key === 'value' && cookieHeader && typeof value === 'string') {
      out[key] = replacer.replace(value, false);
    } else {
      out[key] = sanitizeNode(value, replacer);
    }
  }
  // A name/value pair whose value is a short secret (long ones were replaced as text above).
  if (typeof out.name === 'string' && typeof out.value === 'string') {
    const print = replacer.fingerprintOf(out.value);
    if (print !== undefined && secretKind(out.name)) {
      out.value = print;
      replacer.count++;
    } else if (isCredentialHeader(out.name)) {
      const cred = parseCredential(out.value);
      const credPrint = cred && !cred.basic ? replacer.fingerprintOf(cred.value) : undefined;
      if (cred && credPrint !== undefined) {
        out.value = cred.scheme ? `${cred.scheme} ${credPrint}` : credPrint;
        replacer.count++;
      }
    }
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Sizes that described the original bytes: recomputed where known, else -1 (unknown). */
function fixSizes(before: Entry, after: Entry): void {
  const req = after.request;
  if (!same(before.request.headers, req.headers) || before.request.url !== req.url) {
    if (typeof req.headersSize === 'number') req.headersSize = -1;
  }
  const newText = req.postData?.text;
  if (before.request.postData?.text !== newText && typeof newText === 'string') {
    const length = utf8Length(newText);
    if (Array.isArray(req.headers)) {
      for (const header of req.headers) {
        if (/^content-length$/i.test(header?.name ?? '') && req.bodySize >= 0) {
          header.value = String(length);
        }
      }
    }
    req.bodySize = length;
  }
  const res = after.response;
  const oldRes = before.response;
  if (!same(oldRes.headers, res.headers) || oldRes.redirectURL !== res.redirectURL) {
    if (typeof res.headersSize === 'number') res.headersSize = -1;
  }
  const content = res.content;
  if (!isObject(content) || typeof content.text !== 'string') return;
  if (oldRes.content?.text === content.text) return;
  const size =
    content.encoding === 'base64' ? base64ToBytes(content.text).length : utf8Length(content.text);
  const plain = !content.compression && oldRes.bodySize === oldRes.content?.size;
  content.size = size;
  res.bodySize = plain ? size : -1;
}

/**
 * Pages Chrome's importer would choke on (mitmproxy's har_dump writes `{ pageTimings: {} }`):
 * a page no entry can refer to (no id) is dropped; a missing date, title or timings is filled.
 * So the sanitized file opens in DevTools even when the original did not.
 */
function repairPages(har: Har): void {
  const log = har.log as Har['log'] | undefined;
  if (!isObject(log) || !Array.isArray(log.pages)) return;
  const firstDate = Array.isArray(log.entries) ? log.entries[0]?.startedDateTime : undefined;
  log.pages = log.pages.filter((page) => isObject(page) && typeof page.id === 'string');
  for (const page of log.pages) {
    if (Number.isNaN(new Date(page.startedDateTime).getTime())) {
      page.startedDateTime = firstDate ?? new Date(0).toISOString();
    }
    if (typeof page.title !== 'string') page.title = '';
    if (!isObject(page.pageTimings)) page.pageTimings = {};
  }
}

export const sanitizeHar: SanitizeHar = async (har: Har): Promise<SanitizeResult> => {
  const found = collectSecrets(har);
  const prints = await fingerprintAll(found.values.keys());
  const replacer = new Replacer(prints, found.basic);
  const out = sanitizeNode(har, replacer) as Har;
  repairPages(out);
  const entries = Array.isArray(out?.log?.entries) ? out.log.entries : [];
  entries.forEach((entry, i) => {
    const before = har.log.entries[i];
    if (isObject(entry) && isObject(entry.request) && isObject(entry.response)) {
      fixSizes(before, entry);
    }
  });
  const search = new Map(found.values);
  for (const blob of found.basic.keys()) search.set(blob, 'Basic credentials');
  const leaks = new LeakSearch(search).findAll(out);
  if (leaks.length) return { ok: false, leaks };
  return { ok: true, har: out, replaced: replacer.count, secrets: found.values.size };
};
