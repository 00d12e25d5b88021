import type { EnvironmentId } from '../oauth/environments.ts';
import type { FormFields } from '../oauth/tokenRequest.ts';
import type { AppConfig, ApiErrorBody, TokenCallResult, UpstreamExchange } from './wire.ts';

/** Calls to this app's own local server. Upstream trouble comes back inside the exchange. */

class LocalServerError extends Error {
  constructor(
    readonly code: 'local_server_down' | 'bad_answer' | string,
    message: string,
  ) {
    super(message);
    this.name = 'LocalServerError';
  }
}

function isExchange(value: unknown): value is UpstreamExchange {
  const v = value as UpstreamExchange | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.request === 'object' &&
    typeof v.durationMs === 'number' &&
    (v.response === null || typeof v.response?.status === 'number')
  );
}

function apiError(value: unknown): ApiErrorBody['error'] | null {
  const e = (value as ApiErrorBody | null)?.error;
  return e && typeof e.code === 'string' && typeof e.message === 'string' ? e : null;
}

async function call(path: string, init?: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    });
  } catch {
    throw new LocalServerError(
      'local_server_down',
      'The local debugger server is not answering. Is `npm start` still running?',
    );
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new LocalServerError(
      'bad_answer',
      `The local server answered ${res.status} without JSON.`,
    );
  }
  const error = apiError(body);
  if (error) throw new LocalServerError(error.code, error.message);
  return body;
}

export async function fetchConfig(): Promise<AppConfig> {
  return (await call('/api/config')) as AppConfig;
}

export async function postToken(
  environment: EnvironmentId,
  fields: FormFields,
  /** 'json' only for the failure drill: PandaDoc wants a form body. */
  format: 'form' | 'json' = 'form',
): Promise<TokenCallResult> {
  const body = await call('/api/token', {
    method: 'POST',
    body: JSON.stringify({ environment, fields, format }),
  });
  if (!isExchange(body))
    throw new LocalServerError('bad_answer', 'Unexpected answer from /api/token.');
  return body as TokenCallResult;
}

export async function getCurrentMember(
  environment: EnvironmentId,
  accessToken: string,
): Promise<UpstreamExchange> {
  const body = await call('/api/members/current', {
    method: 'POST',
    body: JSON.stringify({ environment, accessToken }),
  });
  if (!isExchange(body))
    throw new LocalServerError('bad_answer', 'Unexpected answer from /api/members/current.');
  return body;
}

/** A Headers-like view over recorded header pairs. */
export function headerGetter(headers: [string, string][]) {
  return {
    get(name: string): string | null {
      const hit = headers.find(([k]) => k.toLowerCase() === name.toLowerCase());
      return hit ? hit[1] : null;
    },
  };
}
