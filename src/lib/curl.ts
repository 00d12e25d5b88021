/**
 * A recorded upstream request as a copy-pasteable POSIX shell `curl` command, with shell variables
 * in place of every secret so the command can go into a ticket or chat.
 */
import type { RecordedRequest } from './api/wire.ts';

export interface CurlOptions {
  /** One argument per line with `\` continuations (default), or everything on one line. */
  multiline?: boolean;
  /** Extra comment lines put above the variable list (e.g. "Exchange sent at 10:31:05"). */
  comment?: string[];
}

/** Form fields whose values become shell variables, and the variable each becomes. */
export const CURL_PLACEHOLDERS: Readonly<Record<string, string>> = Object.freeze({
  client_secret: 'CLIENT_SECRET',
  code: 'CODE',
  refresh_token: 'REFRESH_TOKEN',
  access_token: 'ACCESS_TOKEN',
});

const VARIABLE_NOTES: Readonly<Record<string, string>> = Object.freeze({
  CLIENT_SECRET: "your app's client secret",
  CODE: 'a fresh authorization code (each code works once, for 10 minutes)',
  REFRESH_TOKEN: 'the newest refresh token (each one works once)',
  ACCESS_TOKEN: 'the access token',
  API_KEY: 'the API key',
  AUTHORIZATION: 'the whole Authorization header value',
});

/** Single-quotes a word for a POSIX shell: nothing inside is expanded; `'` becomes `'\''`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Double-quotes `prefix$VAR` so the shell expands the variable and nothing else. */
function withVariable(prefix: string, variable: string): string {
  return `"${prefix.replace(/[\\"$`]/g, '\\$&')}$${variable}"`;
}

/** The Authorization header with its credential replaced by a variable. */
function authorizationArg(name: string, value: string, used: Set<string>): string {
  const match = /^(Bearer|API-Key)\s+\S/i.exec(value);
  const scheme = match?.[1];
  const variable = scheme
    ? scheme.toLowerCase() === 'bearer'
      ? 'ACCESS_TOKEN'
      : 'API_KEY'
    : 'AUTHORIZATION';
  used.add(variable);
  return withVariable(scheme ? `${name}: ${scheme} ` : `${name}: `, variable);
}

/** One piece of a shell word: literal text, or a variable the shell expands. */
type Part = string | { variable: string };

/** Literal text single-quoted, variables as "$VAR", run together into one shell word. */
function shellWord(parts: Part[]): string {
  const word = parts
    .map((p) => (typeof p === 'string' ? (p ? shellQuote(p) : '') : `"$${p.variable}"`))
    .join('');
  return word || "''";
}

/** `text` with the character ranges at `spans` (sorted, apart) replaced by variables. */
function withVariables(text: string, spans: [number, number, string][]): Part[] {
  const parts: Part[] = [];
  let at = 0;
  for (const [start, end, variable] of spans) {
    parts.push(text.slice(at, start), { variable });
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
}

/**
 * Where the string values of a JSON object's own members are, by member name: the characters
 * between the value's quotes. Nested objects and arrays are skipped. Empty when not an object.
 */
function topLevelStrings(json: string): [name: string, start: number, end: number][] {
  const out: [string, number, number][] = [];
  let depth = 0;
  let key: string | null = null;
  let expect: 'key' | 'value' | null = null;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (ch === '"') {
      let end = i + 1;
      while (end < json.length && json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      if (depth === 1 && expect === 'key') {
        try {
          key = JSON.parse(json.slice(i, end + 1)) as string;
        } catch {
          return [];
        }
        expect = null;
      } else if (depth === 1 && expect === 'value' && key !== null) {
        out.push([key, i + 1, end]);
        expect = null;
      }
      i = end;
    } else if (ch === '{' || ch === '[') {
      if (depth === 0 && ch !== '{') return [];
      depth++;
      if (depth === 1) expect = 'key';
    } else if (ch === '}' || ch === ']') {
      depth--;
    } else if (depth === 1 && ch === ',') {
      expect = 'key';
    } else if (depth === 1 && ch === ':') {
      expect = 'value';
    }
  }
  return out;
}

/** A JSON body with its secrets' string values replaced by variables; null when it has none. */
function jsonBodyParts(body: string, used: Set<string>): Part[] | null {
  try {
    JSON.parse(body);
  } catch {
    return null;
  }
  const spans: [number, number, string][] = [];
  for (const [name, start, end] of topLevelStrings(body)) {
    const variable = CURL_PLACEHOLDERS[name];
    if (!variable) continue;
    used.add(variable);
    spans.push([start, end, variable]);
  }
  return spans.length ? withVariables(body, spans) : null;
}

/** The URL with the values of secret query parameters replaced by variables. */
function urlParts(url: string, used: Set<string>): Part[] {
  const q = url.indexOf('?');
  if (q < 0) return [url];
  const spans: [number, number, string][] = [];
  let at = q + 1;
  const end = url.includes('#') ? url.indexOf('#') : url.length;
  for (const pair of url.slice(q + 1, end).split('&')) {
    const eq = pair.indexOf('=');
    let name = '';
    try {
      name = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    } catch {
      // A malformed name is no secret field's.
    }
    const variable = CURL_PLACEHOLDERS[name];
    if (variable && eq >= 0) {
      used.add(variable);
      spans.push([at + eq + 1, at + pair.length, variable]);
    }
    at += pair.length + 1;
  }
  return withVariables(url, spans);
}

/** Headers that describe the connection or the framing: curl makes its own. */
const FRAMING = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

function isForm(request: RecordedRequest): boolean {
  const type = request.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  return type.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * `curl` for a recorded request: method, URL, headers (not the framing ones: curl makes its own),
 * and a form body as one `--data-urlencode` per field, any other body byte for byte. client_secret,
 * code, refresh_token and Bearer tokens become `$CLIENT_SECRET`, `$CODE`, `$REFRESH_TOKEN` and
 * `$ACCESS_TOKEN` wherever they are: form fields, a JSON object's own members, the query string
 * (also when the recording says `[redacted]`, as the local server's envelopes do); a leading
 * comment lists the variables to export.
 */
export function toCurl(request: RecordedRequest, opts: CurlOptions = {}): string {
  const used = new Set<string>();
  const args: string[] = ['curl', '-sS'];
  // curl sends POST with a body and GET without one; any other method is named (HEAD by -I,
  // since -X HEAD would wait for a body that never comes).
  if (request.method === 'HEAD') args.push('-I');
  else if (request.method !== (request.body ? 'POST' : 'GET')) args.push('-X', request.method);
  args.push(shellWord(urlParts(request.url, used)));

  for (const [name, value] of request.headers) {
    if (FRAMING.has(name.toLowerCase())) continue;
    if (name.toLowerCase() === 'authorization') {
      args.push('-H', authorizationArg(name, value, used));
    } else {
      args.push('-H', shellQuote(`${name}: ${value}`));
    }
  }

  let jsonParts: Part[] | null = null;
  if (request.body && isForm(request)) {
    for (const [name, value] of new URLSearchParams(request.body)) {
      const variable = CURL_PLACEHOLDERS[name];
      if (variable) {
        used.add(variable);
        args.push('--data-urlencode', withVariable(`${name}=`, variable));
      } else {
        args.push('--data-urlencode', shellQuote(`${name}=${value}`));
      }
    }
  } else if (request.body) {
    // Not a form: send it byte for byte. In a JSON object, the secret members' values become
    // variables; anything else can't be searched for secrets reliably, so say so.
    jsonParts = jsonBodyParts(request.body, used);
    args.push('--data-raw', jsonParts ? shellWord(jsonParts) : shellQuote(request.body));
  }

  const lines: string[] = (opts.comment ?? []).map((c) => `# ${c.replace(/\n/g, ' ')}`);
  if (used.size > 0) {
    lines.push('# Set these first; their values are not part of this command:');
    for (const v of used) lines.push(`#   export ${v}='…'   # ${VARIABLE_NOTES[v] ?? v}`);
  }
  if (request.body && !isForm(request)) {
    lines.push(
      jsonParts
        ? '# The body is sent as recorded, its secret fields as $VARIABLES: check the rest before sharing.'
        : '# The body is sent exactly as recorded: check it for secrets before sharing.',
    );
  }
  const command = opts.multiline === false ? args.join(' ') : joinMultiline(args);
  return [...lines, command].join('\n');
}

/** `curl 'url' \` then one option (with its value) per line. */
function joinMultiline(args: string[]): string {
  const [curl, silent, ...rest] = args;
  const lines = [`${curl} ${silent}`];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg.startsWith('-') && !arg.startsWith("'") && i + 1 < rest.length) {
      lines.push(`  ${arg} ${rest[i + 1] ?? ''}`);
      i++;
    } else {
      lines.push(`  ${arg}`);
    }
  }
  return lines.join(' \\\n');
}
