/**
 * What a recorded call did, reduced to what code needs to do it again the right way: the step
 * (exchange, refresh, member call), the base URL, and the fields that are not secret. Secrets are
 * never read out of the call: the snippets take them from environment variables.
 */
import type { UpstreamExchange } from '../api/wire.ts';
import { captureKind, decodeRequestBody, type CaptureKind } from '../traffic/describe.ts';

export interface CodeStep {
  kind: CaptureKind;
  /** Base URL the SDK's ServerConfiguration takes: everything before /oauth2/… or /public/…. */
  baseUrl: string;
  /** The client_id sent (not a secret), or null when none was readable. */
  clientId: string | null;
  /** The scope sent, if any (decoded). */
  scope: string | null;
  method: string;
  /** Path and query after the base URL, e.g. `/public/v1/documents?count=5` (`api` calls). */
  path: string;
}

/** The environment variables the snippets read, one name for each secret. */
export const ENV = Object.freeze({
  baseUrl: 'PANDADOC_BASE_URL',
  clientId: 'PANDADOC_CLIENT_ID',
  clientSecret: 'PANDADOC_CLIENT_SECRET',
  code: 'PANDADOC_CODE',
  refreshToken: 'PANDADOC_REFRESH_TOKEN',
  accessToken: 'PANDADOC_ACCESS_TOKEN',
});

function splitUrl(url: string): { base: string; path: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { base: 'https://api.pandadoc.com', path: url };
  }
  const at = parsed.pathname.search(/\/(oauth2|public)\//);
  const prefix = at < 0 ? '' : parsed.pathname.slice(0, at);
  const rest = at < 0 ? parsed.pathname : parsed.pathname.slice(at);
  // A query on a token call may carry a code or secret: only API calls keep theirs.
  return { base: `${parsed.origin}${prefix}`, path: rest + parsed.search };
}

export interface CodeStepOptions {
  /** Use this base URL instead of the one the call went to (e.g. the debugger's own origin). */
  baseUrl?: string;
}

export function codeStepOf(call: UpstreamExchange, options: CodeStepOptions = {}): CodeStep {
  const kind = captureKind(call);
  const { base, path } = splitUrl(call.request.url);
  const fields = decodeRequestBody(call.request).fields;
  const field = (name: string) => fields.find((f) => f.name === name)?.value ?? null;
  let query: URLSearchParams | null = null;
  try {
    query = new URL(call.request.url).searchParams;
  } catch {
    // Not a full URL: nothing to read from its query.
  }
  return {
    kind,
    baseUrl: (options.baseUrl ?? base).replace(/\/+$/, ''),
    clientId: field('client_id') ?? query?.get('client_id') ?? null,
    scope: field('scope') ?? query?.get('scope') ?? null,
    method: call.request.method.toUpperCase(),
    path: kind === 'api' ? path : path.split('?')[0]!,
  };
}

/** A JavaScript string literal (single-quoted) for a value that is not a secret. */
export function jsString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}
