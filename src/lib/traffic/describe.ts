/**
 * What a captured call is (token exchange, refresh, member call, other API call) and its bodies
 * decoded for reading: form fields, JSON, or text. Pure; secrets are marked, never shown here.
 */
import type { CapturedCall } from '../api/traffic.ts';
import type { RecordedRequest, UpstreamExchange } from '../api/wire.ts';
import { isRecord, tryParseJson } from '../oauth/guards.ts';
import { SECRET_FIELDS } from '../oauth/tokenRequest.ts';

/**
 * `exchange`, `refresh`, `verify` as the triage knows them; `api` for any other PandaDoc API call;
 * `authorize` for the consent screen's requests (a browser's, sent straight to the simulator).
 */
export type CaptureKind = 'exchange' | 'refresh' | 'verify' | 'api' | 'authorize';

const header = (headers: ReadonlyArray<readonly [string, string]>, name: string) =>
  headers.find(([k]) => k.toLowerCase() === name)?.[1] ?? null;

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

const TOKEN_PATH = /\/oauth2\/access_token\/?$/;
const MEMBER_PATH = /\/public\/v1\/members\/current\/?$/;
const AUTHORIZE_PATH = /\/oauth2\/authorize\/?$/;

export const isTokenPath = (url: string) => TOKEN_PATH.test(pathOf(url));
export const isMemberPath = (url: string) => MEMBER_PATH.test(pathOf(url));
export const isAuthorizePath = (url: string) => AUTHORIZE_PATH.test(pathOf(url));

export type BodyFormat = 'form' | 'json' | 'text' | 'none';

export interface DecodedField {
  name: string;
  value: string;
  /** A code, token or secret: shown by fingerprint only. */
  secret: boolean;
}

export interface DecodedBody {
  format: BodyFormat;
  /** Form fields, or a JSON object's top-level string/number/boolean fields. */
  fields: DecodedField[];
  /** The JSON as parsed (objects and arrays), for a pretty view. */
  json: unknown;
  text: string;
}

/** The request body as the client meant it: by Content-Type, else by its look. */
export function decodeRequestBody(request: RecordedRequest): DecodedBody {
  const body = request.body ?? '';
  if (body === '') return { format: 'none', fields: [], json: undefined, text: '' };
  const type = (header(request.headers, 'content-type') ?? '').toLowerCase();
  const parsed = /json/.test(type) || /^\s*[{[]/.test(body) ? tryParseJson(body) : null;
  if (parsed?.ok) {
    const fields = isRecord(parsed.value)
      ? Object.entries(parsed.value)
          .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
          .map(([name, v]) => ({ name, value: String(v), secret: SECRET_FIELDS.has(name) }))
      : [];
    return { format: 'json', fields, json: parsed.value, text: body };
  }
  if (type.startsWith('application/x-www-form-urlencoded') || (!type && /^[\w.-]+=/.test(body))) {
    const fields = [...new URLSearchParams(body)].map(([name, value]) => ({
      name,
      value,
      secret: SECRET_FIELDS.has(name),
    }));
    return { format: 'form', fields, json: undefined, text: body };
  }
  return { format: 'text', fields: [], json: undefined, text: body };
}

/** The grant_type the client asked for, wherever it put it (form, JSON or query). */
export function grantTypeOf(call: UpstreamExchange): string | null {
  const fromBody = decodeRequestBody(call.request).fields.find((f) => f.name === 'grant_type');
  if (fromBody) return fromBody.value;
  try {
    return new URL(call.request.url).searchParams.get('grant_type');
  } catch {
    return null;
  }
}

const kinds = new WeakMap<RecordedRequest, CaptureKind>();

/**
 * What a call is, from its request alone: decided once per request object (a run of like calls
 * from the event stream shares one).
 */
export function captureKind(call: UpstreamExchange): CaptureKind {
  let kind = kinds.get(call.request);
  if (kind === undefined) {
    const path = pathOf(call.request.url);
    if (TOKEN_PATH.test(path))
      kind = grantTypeOf(call) === 'refresh_token' ? 'refresh' : 'exchange';
    else if (AUTHORIZE_PATH.test(path)) kind = 'authorize';
    else kind = MEMBER_PATH.test(path) ? 'verify' : 'api';
    kinds.set(call.request, kind);
  }
  return kind;
}

/** A one-line name for the list: "token: exchange", "token: refresh", "members/current", "GET documents". */
function kindLabel(kind: CaptureKind): string {
  switch (kind) {
    case 'exchange':
      return 'code exchange';
    case 'refresh':
      return 'refresh';
    case 'verify':
      return 'members/current';
    case 'api':
      return 'API call';
    case 'authorize':
      return 'authorize (consent screen)';
  }
}

/**
 * A client that spoke https:// to this plain-HTTP port: the call never became a request (its
 * method and path were encrypted, and nobody decrypted them).
 */
export const isHandshake = (call: Pick<CapturedCall, 'refused'>) => call.refused?.kind === 'https';

/** What a captured call was, for the inspector: its kind's name, or a TLS handshake. */
export function whatLabel(call: Pick<CapturedCall, 'refused'>, kind: CaptureKind): string {
  if (isHandshake(call)) return 'TLS handshake (an https:// call, not read)';
  return kindLabel(kind);
}

/** The recorded answer said it closed the connection (`Connection: close`). */
export const answerClosed = (call: Pick<UpstreamExchange, 'response'>) =>
  /\bclose\b/i.test(header(call.response?.headers ?? [], 'connection') ?? '');

/** The Bearer token a call sent, if any (quotes and spaces kept: the triage wants to see them). */
export function bearerOf(call: UpstreamExchange): string | null {
  const auth = header(call.request.headers, 'authorization');
  const m = auth ? /^\s*bearer\s+(.+)$/is.exec(auth) : null;
  return m?.[1]?.trim() ?? null;
}
