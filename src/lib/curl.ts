/**
 * A recorded upstream request as a copy-pasteable POSIX shell `curl` command, with shell variables
 * in place of every secret so the command can go into a ticket or chat.
 */
import type { RecordedRequest } from './api/wire.ts';
import { shellQuote, shellWord, splicedJson, splicedUrl, type Part } from './shellWords.ts';

export { shellQuote } from './shellWords.ts';

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
  args.push(shellWord(splicedUrl(request.url, CURL_PLACEHOLDERS, used)));

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
    jsonParts = splicedJson(request.body, CURL_PLACEHOLDERS, used);
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
