/**
 * Step one of sanitizing: walk the whole HAR (HAR fields, JSON and form bodies at any depth,
 * base64 bodies, vendor fields) and collect every secret value by where it sits, before anything
 * is replaced. Regular expressions only help inside free text (logs, curl commands, JWTs).
 */
import {
  JWT_PATTERN,
  MIN_GLOBAL_SECRET_LENGTH,
  decodeBase64Text,
  isCredentialHeader,
  isPlaceholder,
  looksLikeCode,
  parseCredential,
  secretKind,
} from './secretFields.ts';

export interface CollectedSecrets {
  /** Secret value → what it is ("access token", "client_secret" …). */
  values: Map<string, string>;
  /** A Basic credential's base64 blob → the user it names (the password is in `values`). */
  basic: Map<string, string>;
}

/** Where a name/value pair was found: HTTP (query, form, headers), JSON, or a cookies array. */
type PairContext = 'http' | 'json' | 'cookie';

const MAX_DEPTH = 64;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const FORM = /^[\w.[\]%-]+=[^&\s]*(?:&[\w.[\]%-]+=[^&\s]*)*$/;
/** `name=value` of a secret parameter inside free text: a log line, a curl command, a cookie. */
const EMBEDDED_PARAM =
  /(?:^|[?&#\s'";,])((?:client_secret|code|access_token|refresh_token|id_token|code_verifier|password)=)([^&#\s'";,]+)/gi;
/** The token must end there: `Bearer 3f9a1c2e…c36a` is a fingerprint, not a token `3f9a1c2e`. */
const EMBEDDED_BEARER = /\bBearer\s+([\w.~+/=-]{8,})(?![\w.~+/=…-])/g;
/** A multipart/form-data part: its name, then after a blank line its value (to the line end). */
const MULTIPART_FIELD = /name="([^"]+)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([^\r\n]*)/g;
const EMBEDDED_JSON = /"(\w+)"\s*:\s*"((?:[^"\\]|\\.){8,}?)"/g;

export function collectSecrets(root: unknown): CollectedSecrets {
  const found: CollectedSecrets = { values: new Map(), basic: new Map() };
  const add = (value: string, what: string) => {
    if (value === '' || isPlaceholder(value) || found.values.has(value)) return;
    found.values.set(value, what);
  };

  const credential = (header: string) => {
    const cred = parseCredential(header);
    if (!cred) return;
    if (cred.basic) {
      if (cred.basic.password === '' || isPlaceholder(cred.basic.password)) return;
      add(cred.basic.password, 'client_secret');
      found.basic.set(cred.value, cred.basic.user);
    } else {
      add(cred.value, /^bearer$/i.test(cred.scheme) ? 'access token' : 'credential');
    }
  };

  const pair = (name: string, value: string, context: PairContext, depth: number) => {
    if (context === 'cookie') {
      if (value.length >= MIN_GLOBAL_SECRET_LENGTH) add(value, 'cookie');
      return;
    }
    const kind = secretKind(name);
    const isCode = kind === 'authorization code';
    if (kind && (!isCode || context === 'http' || looksLikeCode(value))) add(value, kind);
    const lower = name.toLowerCase();
    if (isCredentialHeader(lower)) credential(value);
    if (lower === 'cookie') {
      for (const part of value.split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0) pair(part.slice(0, eq).trim(), part.slice(eq + 1).trim(), 'cookie', depth);
      }
    }
    if (lower === 'set-cookie') {
      for (const line of value.split('\n')) {
        const first = line.split(';')[0];
        const eq = first.indexOf('=');
        if (eq > 0) pair(first.slice(0, eq).trim(), first.slice(eq + 1).trim(), 'cookie', depth);
      }
    }
  };

  const params = (search: string, depth: number) => {
    for (const [name, value] of new URLSearchParams(search)) {
      pair(name, value, 'http', depth);
      scan(value, depth + 1);
    }
  };

  const scan = (text: string, depth: number) => {
    if (depth > MAX_DEPTH || text.length < 4) return;
    // Cheap `includes` checks first: most strings in a HAR hold none of these.
    if (text.includes('eyJ')) for (const match of text.matchAll(JWT_PATTERN)) add(match[0], 'JWT');
    const trimmed = text.trim();
    if (/^https?:\/\/\S+$/i.test(trimmed) || /^\/\S*[?#]/.test(trimmed)) {
      try {
        const url = new URL(trimmed, 'http://relative.invalid');
        params(url.search, depth);
        params(url.hash.slice(1), depth);
      } catch {
        // Not a URL after all: the free-text scan below still looks at it.
      }
    } else if (FORM.test(trimmed)) {
      params(trimmed, depth);
    } else if (/^[[{]/.test(trimmed)) {
      try {
        walk(JSON.parse(trimmed), '', depth + 1);
        return;
      } catch {
        // Truncated or not JSON: scanned as text.
      }
    }
    if (text.includes('Content-Disposition')) {
      for (const m of text.matchAll(MULTIPART_FIELD)) pair(m[1], m[2], 'http', depth);
    }
    if (!text.includes('=') && !text.includes('":') && !text.includes('Bearer')) return;
    for (const m of text.matchAll(EMBEDDED_PARAM)) {
      let value = m[2];
      try {
        value = decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        // Keep it as written.
      }
      pair(m[1].slice(0, -1), value, 'http', depth);
    }
    if (text.includes('Bearer')) {
      for (const m of text.matchAll(EMBEDDED_BEARER)) add(m[1], 'access token');
    }
    if (text.includes('":'))
      for (const m of text.matchAll(EMBEDDED_JSON)) pair(m[1], m[2], 'json', depth);
  };

  const walk = (node: unknown, key: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (typeof node === 'string') return scan(node, depth);
    if (Array.isArray(node)) {
      const [a, b] = node;
      if (node.length === 2 && typeof a === 'string' && typeof b === 'string') {
        pair(a, b, 'json', depth);
      }
      for (const item of node) walk(item, key, depth + 1);
      return;
    }
    if (!isObject(node)) return;
    if (typeof node.name === 'string' && typeof node.value === 'string') {
      const context: PairContext = key === 'cookies' ? 'cookie' : key === '' ? 'json' : 'http';
      pair(node.name, node.value, context, depth);
    }
    if (node.encoding === 'base64' && typeof node.text === 'string') {
      const text = decodeBase64Text(node.text);
      if (text !== null) scan(text, depth + 1);
    }
    for (const [k, v] of Object.entries(node)) {
      if (typeof v === 'string' && k !== 'name' && k !== 'value') pair(k, v, 'json', depth);
      walk(v, k, depth + 1);
    }
  };

  walk(root, 'root', 0);
  return found;
}
