/** The authorize endpoint's parameter rules (docs/pandadoc-oauth.md §1), without HTTP. */
import { grantFor, parseScope } from './scope.ts';

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** One redirect URI per app, compared as an exact string. */
  redirectUri: string;
}

/** Query or form parameters, already decoded (URLSearchParams or a plain record). */
export type ParamSource = URLSearchParams | Readonly<Record<string, string | undefined>>;

/** A validated authorization request. */
export interface AuthorizeRequest {
  client: RegisteredClient;
  responseType: 'code';
  /** What the caller sent, or null when omitted. */
  redirectUriParam: string | null;
  /** The URI the browser will be sent back to (the registered one). */
  redirectUri: string;
  /** The scope parameter as sent (decoded), or null when omitted. */
  scopeParam: string | null;
  scopeNames: string[];
  /** Scope bits granted on approval: OR of the names, always including read. */
  grant: number;
  /** Always echoed, even when empty or omitted. */
  state: string;
}

export interface AuthorizeError {
  kind: 'error';
  status: 400;
  error: 'unauthorized_client' | 'invalid_request' | 'unsupported_response_type';
  description: string;
}

export type AuthorizeValidation = { kind: 'ok'; request: AuthorizeRequest } | AuthorizeError;

/** Like Django's QueryDict.get: the last value wins; undefined when absent. */
export function param(source: ParamSource, name: string): string | undefined {
  if (source instanceof URLSearchParams) return source.getAll(name).at(-1);
  return Object.hasOwn(source, name) ? source[name] : undefined;
}

function fail(error: AuthorizeError['error'], description: string): AuthorizeError {
  return { kind: 'error', status: 400, error, description };
}

/**
 * Check, in order: client_id, response_type, redirect_uri, scope. Every failure is an error page
 * (no redirect). `code_challenge` and other unknown parameters are ignored.
 */
export function validateAuthorize(
  source: ParamSource,
  findClient: (clientId: string) => RegisteredClient | undefined,
): AuthorizeValidation {
  const clientId = param(source, 'client_id');
  const client = clientId ? findClient(clientId) : undefined;
  if (!client) {
    return fail('unauthorized_client', 'An unauthorized client tried to access your resources.');
  }
  const responseType = param(source, 'response_type');
  if (!responseType) return fail('invalid_request', "No 'response_type' supplied.");
  if (responseType !== 'code') {
    const bad = responseType.split(' ').find((type) => type !== 'code') ?? responseType;
    return fail('unsupported_response_type', `'${bad}' is not a supported response type.`);
  }
  const redirectUriParam = param(source, 'redirect_uri') || null;
  if (redirectUriParam !== null && redirectUriParam !== client.redirectUri) {
    return fail('invalid_request', "The requested redirect didn't match the client settings.");
  }
  const scopeParam = param(source, 'scope') ?? null;
  const scope = parseScope(scopeParam);
  if (!scope.ok) return fail('invalid_request', `'${scope.invalid}' is not a valid scope.`);
  return {
    kind: 'ok',
    request: {
      client,
      responseType: 'code',
      redirectUriParam,
      redirectUri: client.redirectUri,
      scopeParam,
      scopeNames: scope.names,
      grant: grantFor(scope.names),
      state: param(source, 'state') ?? '',
    },
  };
}

/**
 * `{redirect_uri}?state=…&…`: state first and always present; any query on the registered URI is
 * replaced and a fragment dropped. Values are form-encoded (space → `+`), as Django does.
 */
export function buildRedirect(redirectUri: string, state: string, extra: [string, string]): string {
  const base = redirectUri.split('#')[0].split('?')[0];
  const query = new URLSearchParams([['state', state], extra]);
  return `${base}?${query.toString()}`;
}
