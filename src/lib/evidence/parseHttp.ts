/**
 * A raw HTTP request and/or response as text: `curl -v` output (`> ` and `< ` lines), or a plain
 * dump from a log (request line, headers, blank line, body; then a status line …).
 */
import type { Header, RecordedRequest, RecordedResponse } from '../api/wire.ts';

const REQUEST_LINE = /^([A-Z]{3,10}) (\S+) HTTP\/[\d.]+$/;
const STATUS_LINE = /^HTTP\/[\d.]+ (\d{3})(?: (.*))?$/;

export interface HttpParse {
  request: RecordedRequest | null;
  response: RecordedResponse | null;
}

function headerLine(line: string): Header | null {
  const colon = line.indexOf(':');
  if (colon <= 0 || /\s/.test(line.slice(0, colon))) return null;
  return [line.slice(0, colon), line.slice(colon + 1).trim()];
}

/** Reads header lines until a blank one; returns the headers and the index after the blank line. */
function readHead(lines: string[], from: number): { headers: Header[]; next: number } {
  const headers: Header[] = [];
  let i = from;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') return { headers, next: i + 1 };
    const h = headerLine(line);
    if (!h) return { headers, next: i };
    headers.push(h);
  }
  return { headers, next: i };
}

function requestFrom(method: string, target: string, headers: Header[], body: string | null) {
  const host = headers.find(([k]) => /^(host|:authority)$/i.test(k))?.[1];
  const url = /^[a-z]+:\/\//i.test(target) ? target : host ? `https://${host}${target}` : target;
  return { method, url, headers, body };
}

/** `curl -v`: `> ` lines are the request, `< ` lines the response head; plain lines after are its body. */
function parseVerbose(lines: string[]): HttpParse {
  const req: string[] = [];
  const res: string[] = [];
  const body: string[] = [];
  for (const line of lines) {
    if (line.startsWith('> ') || line === '>') req.push(line.slice(2));
    else if (line.startsWith('< ') || line === '<') res.push(line.slice(2));
    else if (/^(\*|\{ \[|\} \[|\s*% Total|\s*Dload|\s*\d+\s+\d+)/.test(line)) continue;
    else if (res.length) body.push(line);
  }
  let request: RecordedRequest | null = null;
  const first = REQUEST_LINE.exec(req[0] ?? '');
  if (first) {
    const { headers } = readHead(req, 1);
    request = requestFrom(first[1] ?? 'GET', first[2] ?? '', headers, null);
  }
  let response: RecordedResponse | null = null;
  const status = STATUS_LINE.exec(res[0] ?? '');
  if (status) {
    const { headers } = readHead(res, 1);
    response = {
      status: Number(status[1]),
      statusText: status[2] ?? '',
      headers,
      body: body.join('\n').trim(),
      truncated: false,
    };
  }
  return { request, response };
}

/** Request line … blank … body, then status line … blank … body, in any order, either optional. */
function parsePlain(lines: string[]): HttpParse {
  let request: RecordedRequest | null = null;
  let response: RecordedResponse | null = null;
  const starts = lines
    .map((l, i) => (REQUEST_LINE.test(l) || STATUS_LINE.test(l) ? i : -1))
    .filter((i) => i >= 0);
  starts.forEach((start, n) => {
    const end = starts[n + 1] ?? lines.length;
    const line = lines[start] ?? '';
    const { headers, next } = readHead(lines, start + 1);
    const body = lines.slice(next, end).join('\n').trim();
    const r = REQUEST_LINE.exec(line);
    if (r && !request) request = requestFrom(r[1] ?? 'GET', r[2] ?? '', headers, body || null);
    const s = STATUS_LINE.exec(line);
    if (s && !response) {
      response = {
        status: Number(s[1]),
        statusText: s[2] ?? '',
        headers,
        body,
        truncated: false,
      };
    }
  });
  return { request, response };
}

/** Null when the text has neither a request line nor a status line. */
export function parseHttp(text: string): HttpParse | null {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const verbose = lines.some((l) => /^[<>] (HTTP\/|[A-Z]{3,10} \S+ HTTP\/)/.test(l));
  const got = verbose ? parseVerbose(lines) : parsePlain(lines.map((l) => l.trimEnd()));
  return got.request || got.response ? got : null;
}

/** Quick test used by detection. */
export function looksLikeHttp(text: string): boolean {
  return text
    .split(/\r?\n/)
    .some(
      (l) =>
        REQUEST_LINE.test(l.replace(/^[<>] /, '').trimEnd()) ||
        STATUS_LINE.test(l.replace(/^[<>] /, '').trimEnd()),
    );
}
