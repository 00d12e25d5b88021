/**
 * Shell words for the curl commands: single-quoting, and text (a JSON body, a URL) with its
 * secrets spliced in as "$VARIABLES", so the shell sends the recorded bytes with the secrets
 * taken from the environment: '{"code":"'"$CODE"'"}'.
 */

/** Single-quotes a word for a POSIX shell: nothing inside is expanded; `'` becomes `'\''`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** One piece of a shell word: literal text, or a variable the shell expands. */
export type Part = string | { variable: string };

/** Literal text single-quoted, variables as "$VAR", run together into one shell word. */
export function shellWord(parts: Part[]): string {
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

/**
 * A JSON object's text with the string values of the members named in `variables` replaced by
 * those variables (each one used is added to `used`); null when it is not JSON or has none.
 */
export function splicedJson(
  body: string,
  variables: Readonly<Record<string, string>>,
  used: Set<string>,
): Part[] | null {
  try {
    JSON.parse(body);
  } catch {
    return null;
  }
  const spans: [number, number, string][] = [];
  for (const [name, start, end] of topLevelStrings(body)) {
    const variable = variables[name];
    if (!variable) continue;
    used.add(variable);
    spans.push([start, end, variable]);
  }
  return spans.length ? withVariables(body, spans) : null;
}

/** The URL with the values of the query parameters named in `variables` replaced by them. */
export function splicedUrl(
  url: string,
  variables: Readonly<Record<string, string>>,
  used: Set<string>,
): Part[] {
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
    const variable = variables[name];
    if (variable && eq >= 0) {
      used.add(variable);
      spans.push([at + eq + 1, at + pair.length, variable]);
    }
    at += pair.length + 1;
  }
  return withVariables(url, spans);
}
