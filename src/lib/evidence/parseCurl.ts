/**
 * A pasted `curl` command → the request it sends. Understands POSIX shell quoting ('…', "…",
 * $'…', backslash continuations) and Windows cmd's `^` continuations, as browsers' "Copy as cURL"
 * produce; options that do not change the request are skipped.
 */
import type { Header, RecordedRequest } from '../api/wire.ts';

/** Splits a shell command line into words. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const src = text.replace(/\\\r?\n/g, ' ').replace(/\^\r?\n/g, ' ');
  while (i < src.length) {
    const ch = src[i] ?? '';
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (ch === "'") {
      const end = src.indexOf("'", i + 1);
      word += src.slice(i + 1, end === -1 ? undefined : end);
      inWord = true;
      i = end === -1 ? src.length : end + 1;
    } else if (ch === '$' && src[i + 1] === "'") {
      let j = i + 2;
      while (j < src.length && src[j] !== "'") {
        if (src[j] === '\\' && j + 1 < src.length) {
          const next = src[j + 1] ?? '';
          word += next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next;
          j += 2;
        } else word += src[j++];
      }
      inWord = true;
      i = j + 1;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') {
        if ((src[j] === '\\' || src[j] === '^') && j + 1 < src.length) {
          word += src[j + 1];
          j += 2;
        } else word += src[j++];
      }
      inWord = true;
      i = j + 1;
    } else if ((ch === '\\' || ch === '^') && i + 1 < src.length) {
      word += src[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Options that take a value but do not change what is sent. */
const SKIP_WITH_VALUE = new Set([
  '-o',
  '--output',
  '-w',
  '--write-out',
  '--connect-timeout',
  '-m',
  '--max-time',
  '--retry',
  '-x',
  '--proxy',
  '--cacert',
  '--cert',
  '--key',
  '-c',
  '--cookie-jar',
  '--resolve',
  '--limit-rate',
]);

export type CurlParse = { ok: true; request: RecordedRequest } | { ok: false; message: string };

/** Reads a curl command. `ok: false` says what was missing. */
export function parseCurl(text: string): CurlParse {
  const words = shellWords(text.trim().replace(/^\$\s+/, ''));
  if (words[0] !== 'curl' && !/[/\\]curl(\.exe)?$/.test(words[0] ?? '')) {
    return { ok: false, message: 'That does not start with "curl".' };
  }
  let method: string | null = null;
  let url: string | null = null;
  const headers: Header[] = [];
  const data: string[] = [];
  let json = false;
  let get = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] ?? '';
    const long = /^(--[a-z-]+)=(.*)$/s.exec(w);
    const opt = long ? long[1] : w;
    const value = () => (long ? long[2] : words[++i]) ?? '';
    if (opt === '-X' || opt === '--request') method = value().toUpperCase();
    else if (opt === '-H' || opt === '--header') {
      const h = value();
      const colon = h.indexOf(':');
      if (colon > 0) headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
    } else if (['-d', '--data', '--data-raw', '--data-binary', '--data-ascii'].includes(opt ?? ''))
      data.push(value());
    else if (opt === '--data-urlencode') {
      const v = value();
      const eq = v.indexOf('=');
      data.push(
        eq < 0
          ? encodeURIComponent(v)
          : `${v.slice(0, eq)}${eq > 0 ? '=' : ''}${encodeURIComponent(v.slice(eq + 1))}`,
      );
    } else if (opt === '--json') {
      data.push(value());
      json = true;
    } else if (opt === '-u' || opt === '--user') {
      headers.push(['Authorization', `Basic ${btoa(value())}`]);
    } else if (opt === '-b' || opt === '--cookie') headers.push(['Cookie', value()]);
    else if (opt === '-A' || opt === '--user-agent') headers.push(['User-Agent', value()]);
    else if (opt === '-e' || opt === '--referer') headers.push(['Referer', value()]);
    else if (opt === '--url') url = value();
    else if (opt === '-G' || opt === '--get') get = true;
    else if (SKIP_WITH_VALUE.has(opt ?? '')) value();
    else if (!w.startsWith('-') && url === null) url = w;
  }
  if (!url) return { ok: false, message: 'The curl command has no URL.' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `https://${url}`;
  let body: string | null = data.length ? data.join('&') : null;
  if (get && body) {
    url += (url.includes('?') ? '&' : '?') + body;
    body = null;
  }
  const has = (name: string) => headers.some(([k]) => k.toLowerCase() === name);
  if (body !== null && !has('content-type')) {
    headers.push(['Content-Type', json ? 'application/json' : 'application/x-www-form-urlencoded']);
  }
  return {
    ok: true,
    request: { method: method ?? (body !== null ? 'POST' : 'GET'), url, headers, body },
  };
}
