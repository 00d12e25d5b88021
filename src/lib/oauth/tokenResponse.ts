/** Step 4, the answer: narrow the token endpoint's response into a TokenSet or a specific failure. */
import {
  isFiniteNumber,
  isNonEmptyString,
  isRecord,
  isString,
  preview,
  readJsonBody,
} from './guards.ts';

export { explainTokenSet, formatDuration, type ExplainedField } from './tokenExplain.ts';

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  tokenType: string;
  expiresIn: number | null;
  scope: string | null;
  receivedAt: number;
  expiresAt: number | null;
  /** Fields this app does not know, kept raw. */
  extra: Record<string, unknown>;
}

export type TokenResponseResult =
  | { ok: true; tokens: TokenSet; warnings: string[] }
  | {
      ok: false;
      kind: 'oauth_error';
      status: number;
      error: string;
      description: string | null;
      body: Record<string, unknown>;
    }
  | { ok: false; kind: 'html' | 'not_json' | 'malformed'; status: number; message: string };

export const KNOWN_TOKEN_FIELDS: readonly string[] = Object.freeze([
  'access_token',
  'token_type',
  'expires_in',
  'scope',
  'refresh_token',
]);

const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** Names the JSON type of a value for messages: "an array", "a number", "null". */
export function describeJsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/**
 * Classifies a raw token endpoint answer. Works on text so that HTML error pages and broken proxies
 * get a precise explanation instead of a JSON.parse exception.
 * @see RFC 6749 §5.1 and §5.2
 */
export function parseTokenResponse(
  status: number,
  contentType: string | null,
  rawBody: string,
  receivedAt: number,
): TokenResponseResult {
  const parsed = readJsonBody(
    status,
    contentType,
    rawBody,
    "That is usually a proxy, a captive portal or a wrong URL, not PandaDoc's token endpoint.",
  );
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  if (!isRecord(body)) {
    return {
      ok: false,
      kind: 'malformed',
      status,
      message: `HTTP ${status}: the body is JSON but ${describeJsonType(body)}, not an object.`,
    };
  }
  // Some servers put an OAuth error in a 200, some next to a token: an `error` field makes the
  // answer an error, whatever else it carries (RFC 6749 §5.2 has no "partly failed" answer).
  if (isString(body.error)) {
    return {
      ok: false,
      kind: 'oauth_error',
      status,
      error: body.error,
      description: isString(body.error_description) ? body.error_description : null,
      body,
    };
  }
  if (!isSuccess(status)) {
    return {
      ok: false,
      kind: 'malformed',
      status,
      message: `HTTP ${status}: the JSON has no "error" field, so it is not an OAuth error response.`,
    };
  }
  return parseTokenSet(status, contentType, body, receivedAt);
}

function malformed(status: number, message: string): TokenResponseResult {
  return { ok: false, kind: 'malformed', status, message };
}

function parseTokenSet(
  status: number,
  contentType: string | null,
  body: Record<string, unknown>,
  receivedAt: number,
): TokenResponseResult {
  const warnings: string[] = [];
  const { access_token, token_type, expires_in, scope, refresh_token } = body;
  if (!('access_token' in body))
    return malformed(status, `HTTP ${status} but the JSON has no access_token.`);
  if (!isNonEmptyString(access_token)) {
    return malformed(
      status,
      access_token === ''
        ? `HTTP ${status} but access_token is empty.`
        : `HTTP ${status} but access_token is ${describeJsonType(access_token)}, not a string.`,
    );
  }
  if (refresh_token !== undefined && refresh_token !== null && !isString(refresh_token)) {
    return malformed(status, `refresh_token is ${describeJsonType(refresh_token)}, not a string.`);
  }
  if (status !== 200) warnings.push(`The status was ${status}; PandaDoc answers 200.`);
  if (contentType !== null && !contentType.toLowerCase().includes('json')) {
    warnings.push(`The content type was "${preview(contentType)}", not application/json.`);
  }

  let tokenType = 'Bearer';
  if (!isString(token_type)) {
    warnings.push(
      `token_type is ${token_type === undefined ? 'missing' : describeJsonType(token_type)}; assuming Bearer.`,
    );
  } else {
    tokenType = token_type;
    if (token_type.toLowerCase() !== 'bearer') {
      warnings.push(
        `token_type is "${preview(token_type)}"; PandaDoc's API expects Bearer tokens.`,
      );
    }
  }

  let expiresIn: number | null = null;
  if (isFiniteNumber(expires_in)) expiresIn = expires_in;
  else if (isString(expires_in) && /^\d+$/.test(expires_in)) {
    expiresIn = Number(expires_in);
    warnings.push('expires_in is a string, not a number; read it as a number anyway.');
  } else {
    warnings.push(
      `expires_in is ${expires_in === undefined ? 'missing' : describeJsonType(expires_in)}, so the expiry time is unknown.`,
    );
  }
  if (expiresIn !== null && expiresIn <= 0)
    warnings.push('expires_in is zero or negative: the token is already expired.');

  let grantedScope: string | null = null;
  if (isString(scope)) grantedScope = scope;
  else if (scope !== undefined && scope !== null)
    warnings.push(`scope is ${describeJsonType(scope)}; ignored.`);

  const refreshToken = isNonEmptyString(refresh_token) ? refresh_token : null;
  if (refreshToken === null) {
    warnings.push(
      'No refresh_token came back: when this access token expires the user must authorize again.',
    );
  }

  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!KNOWN_TOKEN_FIELDS.includes(k)) extra[k] = v;

  const tokens: TokenSet = {
    accessToken: access_token,
    refreshToken,
    tokenType,
    expiresIn,
    scope: grantedScope,
    receivedAt,
    expiresAt: expiresIn === null ? null : receivedAt + expiresIn * 1000,
    extra,
  };
  return { ok: true, tokens, warnings };
}
