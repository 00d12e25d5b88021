/** Builds the support report: data first (ReportJson), Markdown from it, both scrubbed twice. */
import type { Header, SecretSource, UpstreamExchange } from '../api/wire.ts';
import { environmentInfo } from '../oauth/environments.ts';
import { SECRET_FIELDS } from '../oauth/tokenRequest.ts';
import { callSecrets } from '../triage/history.ts';
import { renderMarkdown } from './markdown.ts';
import { createScrubber, type Scrubber } from './scrub.ts';
import { REPORT_FORMAT, type ReportCall, type ReportInput, type ReportJson } from './types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

function isFormRequest(headers: Header[], body: string | null): boolean {
  const type = headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  return (
    body !== null &&
    type.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
  );
}

function reportCall(
  name: ReportCall['name'],
  call: UpstreamExchange & { secretSource?: SecretSource },
  scrub: Scrubber,
): ReportCall {
  const { request, response } = call;
  const headers = request.headers.map(([k, v]): Header => {
    if (k.toLowerCase() !== 'authorization') return [k, scrub.text(v)];
    const [scheme, credential] = v.split(/\s+/, 2);
    return [k, credential ? `${scheme} ${scrub.label(credential)}` : scrub.label(v)];
  });
  const form = isFormRequest(request.headers, request.body)
    ? [...new URLSearchParams(request.body ?? '')].map(([k, v]): Header => [
        k,
        SECRET_FIELDS.has(k) ? scrub.label(v) : v,
      ])
    : null;
  let body = response?.body ?? '';
  try {
    body = JSON.stringify(scrub.json(JSON.parse(body) as unknown, { secretFields: true }), null, 2);
  } catch {
    body = scrub.text(body);
  }
  return {
    name,
    startedAt: iso(call.startedAt),
    durationMs: call.durationMs,
    request: {
      method: request.method,
      url: request.url,
      headers,
      form,
      body: form ? null : request.body,
    },
    response: response
      ? {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
          body,
          truncated: response.truncated,
        }
      : null,
    failure: call.failure,
    secretSource: call.secretSource ?? null,
  };
}

/** Every secret-looking value in the session, so even one the caller forgot is fingerprinted. */
function sessionSecrets(input: ReportInput): string[] {
  const { exchange, refresh, verify, tokens } = input.session;
  const found: string[] = [];
  for (const call of [exchange, refresh, verify]) {
    if (!call) continue;
    const { clientId: _clientId, ...secrets } = callSecrets(call);
    found.push(...Object.values(secrets));
    for (const [k, v] of new URLSearchParams(call.request.body ?? ''))
      if (SECRET_FIELDS.has(k)) found.push(v);
  }
  if (tokens) found.push(tokens.accessToken, ...(tokens.refreshToken ? [tokens.refreshToken] : []));
  return found;
}

/**
 * A support report of one profile's session as Markdown (for a ticket) and JSON (for tools).
 * Async because fingerprints use WebCrypto. Guarantees no value of `input.secrets` appears in either:
 * it throws rather than return a report that would leak.
 */
export async function buildReport(
  input: ReportInput,
): Promise<{ markdown: string; json: ReportJson }> {
  const scrub = await createScrubber([...input.secrets, ...sessionSecrets(input)]);
  const env = environmentInfo(input.profile.environment, input.origin);
  const { exchange, refresh, verify, tokens } = input.session;
  const calls: ReportCall[] = [];
  if (exchange) calls.push(reportCall('exchange', exchange, scrub));
  if (refresh) calls.push(reportCall('refresh', refresh, scrub));
  if (verify) calls.push(reportCall('verify', verify, scrub));

  const draft: ReportJson = {
    format: REPORT_FORMAT,
    generatedAt: iso(input.generatedAt),
    appVersion: input.appVersion,
    environment: {
      id: env.id,
      label: env.label,
      authorize: env.authorizeEndpoint,
      token: env.tokenEndpoint,
      api: env.apiBase,
    },
    profile: {
      name: input.profile.name,
      clientId: input.profile.clientId,
      redirectUri: input.profile.redirectUri,
      scope: input.profile.scope,
    },
    steps: input.history.map((h) => ({
      at: iso(h.at),
      kind: h.kind,
      outcome: h.outcome,
      status: h.status,
      errorCode: h.errorCode,
      grant: h.grant,
      verification: h.verification,
      durationMs: h.durationMs,
      clientId: h.clientId,
      fingerprints: h.fingerprints,
      note: h.note,
    })),
    calls,
    diagnoses: input.diagnoses,
    tokens: tokens
      ? {
          tokenType: tokens.tokenType,
          scope: tokens.scope,
          receivedAt: iso(tokens.receivedAt),
          expiresAt: tokens.expiresAt === null ? null : iso(tokens.expiresAt),
          expiresIn: tokens.expiresIn,
          accessToken: scrub.label(tokens.accessToken),
          refreshToken: tokens.refreshToken === null ? null : scrub.label(tokens.refreshToken),
        }
      : null,
    utcOffsetMinutes: 0 - new Date(input.generatedAt).getTimezoneOffset() || 0,
  };
  // Scrub the data, render, and scrub the rendering: nothing a renderer adds can slip through.
  const json = scrub.json(draft);
  const markdown = scrub.text(renderMarkdown(json));
  const leaked = [...scrub.leaks(markdown), ...scrub.leaks(JSON.stringify(json))];
  if (leaked.length > 0) throw new Error(`report scrub failed for ${leaked.length} secret(s)`);
  return { markdown, json };
}
