/** Builds the support report: data first (ReportJson), Markdown from it, both checked for leaks. */
import type { Header, SecretSource, UpstreamExchange } from '../api/wire.ts';
import { environmentInfo } from '../oauth/environments.ts';
import { SECRET_FIELDS } from '../oauth/tokenRequest.ts';
import { callSecrets } from '../triage/history.ts';
import { renderMarkdown } from './markdown.ts';
import { createScrubber, type Scrubber } from './scrub.ts';
import { digestSteps } from './steps.ts';
import {
  REPORT_FORMAT,
  type ReportCall,
  type ReportHead,
  type ReportInput,
  type ReportJson,
} from './types.ts';

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
  // A handful of calls: every string of them goes through the generic walk.
  return scrub.json({
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
  });
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
 * Async because fingerprints use WebCrypto. Guarantees no value of `input.secrets` appears in either,
 * in any spelling: it throws rather than return a report that would leak.
 *
 * The history comes as its tally and newest entries (ReportHistory): the cost does not grow with
 * its length. Free-text fields are scrubbed where they enter, and the finished Markdown is searched
 * once for every secret. `jsonText` reads every step (`history.all`) and writes the JSON with them,
 * checked the same way: only a download needs it.
 */
export async function buildReport(
  input: ReportInput,
): Promise<{ markdown: string; json: ReportHead; jsonText: () => Promise<string> }> {
  const scrub = await createScrubber([...input.secrets, ...sessionSecrets(input)]);
  const env = environmentInfo(input.profile.environment, input.origin);
  const { exchange, refresh, verify, tokens } = input.session;
  const calls: ReportCall[] = [];
  if (exchange) calls.push(reportCall('exchange', exchange, scrub));
  if (refresh) calls.push(reportCall('refresh', refresh, scrub));
  if (verify) calls.push(reportCall('verify', verify, scrub));
  const digest = digestSteps(input.history, scrub);
  const sections = await Promise.all((input.sections ?? []).map((make) => make(scrub)));

  const json: ReportHead = {
    format: REPORT_FORMAT,
    generatedAt: iso(input.generatedAt),
    appVersion: scrub.text(input.appVersion),
    environment: scrub.json({
      id: env.id,
      label: env.label,
      authorize: env.authorizeEndpoint,
      token: env.tokenEndpoint,
      api: env.apiBase,
    }),
    profile: scrub.json({
      name: input.profile.name,
      clientId: input.profile.clientId,
      redirectUri: input.profile.redirectUri,
      scope: input.profile.scope,
    }),
    summary: digest.summary,
    calls,
    diagnoses: scrub.json(input.diagnoses),
    tokens: tokens
      ? {
          tokenType: scrub.text(tokens.tokenType),
          scope: tokens.scope === null ? null : scrub.text(tokens.scope),
          receivedAt: iso(tokens.receivedAt),
          expiresAt: tokens.expiresAt === null ? null : iso(tokens.expiresAt),
          expiresIn: tokens.expiresIn,
          accessToken: scrub.label(tokens.accessToken),
          refreshToken: tokens.refreshToken === null ? null : scrub.label(tokens.refreshToken),
        }
      : null,
    sections: sections.map((s) => ({ title: scrub.text(s.title), data: scrub.json(s.data) })),
    utcOffsetMinutes: 0 - new Date(input.generatedAt).getTimezoneOffset() || 0,
  };
  const extra = sections.map((s) => ({ ...s, markdown: s.markdown.map(scrub.text) }));
  // The last line of defence: the finished texts, exactly as they leave, are searched once more.
  // A leak there is a bug in the scrub above; the text is scrubbed whole, and refused if that fails.
  let markdown = renderMarkdown(json, digest, extra);
  if (scrub.leaks(markdown).length > 0) markdown = refuseLeaks(scrub, scrub.text(markdown));
  // The JSON text (every step: megabytes at 10,000) is written when it is asked for, and checked then.
  let text: string | null = null;
  const jsonText = async () => {
    if (text !== null) return text;
    const { format, generatedAt, appVersion, environment, profile, ...rest } = json;
    const full: ReportJson = {
      ...{ format, generatedAt, appVersion, environment, profile },
      steps: await digest.all(),
      ...rest,
    };
    return (text = refuseLeaks(scrub, JSON.stringify(full, null, 2)));
  };
  return { markdown, json, jsonText };
}

function refuseLeaks(scrub: Scrubber, text: string): string {
  const leaked = scrub.leaks(text);
  if (leaked.length > 0) throw new Error(`report scrub failed for ${leaked.length} secret(s)`);
  return text;
}
