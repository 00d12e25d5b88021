/**
 * What the wire itself shows across a recording: a JSON token request, the customer's clock
 * against PandaDoc's Date headers, a burst of calls ending in 429, credentials stripped on export.
 */
import { CLOCK_SKEW_THRESHOLD_MS } from '../../triage/facts.ts';
import { retryAfterSeconds } from '../../triage/index.ts';
import { DOCS } from '../../triage/types.ts';
import { isApiKind, isTokenKind, type AnalyzedItem } from '../analyze.ts';
import { headerValue, regionOf, safeUrl } from '../roles.ts';
import { entriesOf, entryLabel, span, type RecordingRuleFn } from './shared.ts';

export const jsonTokenRequest: RecordingRuleFn = (items) => {
  const sent = items.filter((a) => isTokenKind(a.kind) && a.jsonBody);
  if (!sent.length) return [];
  return [
    {
      rule: 'json_body',
      severity: 'error',
      title: 'The token request was sent as JSON, not as a form',
      cause:
        "PandaDoc’s token endpoint reads only application/x-www-form-urlencoded bodies. A JSON body looks empty to it, so it answers 400 invalid_request “No 'grant_type' included in the request.”",
      next: 'Send Content-Type: application/x-www-form-urlencoded with grant_type, client_id, client_secret and code (or refresh_token): URLSearchParams in JavaScript, data= (not json=) in Python requests.',
      evidence: sent.map(
        (a) =>
          `${entryLabel(a)}: Content-Type ${headerValue(a.exchange.request.headers, 'content-type') ?? '(none)'} → ${a.step.summary}`,
      ),
      docs: DOCS.formBody,
      entries: entriesOf(sent),
    },
  ];
};

/** How far the server's Date is from the customer's clock at the middle of the call. */
function gapOf(a: AnalyzedItem): number | null {
  if (a.step.at === null || !a.exchange.response) return null;
  const date = Date.parse(headerValue(a.exchange.response.headers, 'date') ?? '');
  if (!Number.isFinite(date)) return null;
  return date - (a.exchange.startedAt + a.exchange.durationMs / 2);
}

export const clockGap: RecordingRuleFn = (items) => {
  const gaps = items
    .filter(
      (a) => regionOf(a.exchange.request.url) !== null || isTokenKind(a.kind) || isApiKind(a.kind),
    )
    .map((a) => ({ a, gap: gapOf(a) }))
    .filter((g): g is { a: AnalyzedItem; gap: number } => g.gap !== null);
  const off = gaps.filter((g) => Math.abs(g.gap) > CLOCK_SKEW_THRESHOLD_MS);
  // One odd answer is a slow proxy; most answers agreeing is a clock.
  if (!off.length || off.length * 2 < gaps.length) return [];
  const sorted = off.map((g) => g.gap).sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const ahead = median > 0;
  return [
    {
      rule: 'clock_gap',
      severity: 'warning',
      title: `The customer’s clock is ${span(Math.abs(median))} ${ahead ? 'behind' : 'ahead of'} PandaDoc’s`,
      cause: `The recording’s times (the customer’s clock) and PandaDoc’s Date headers differ by about ${span(Math.abs(median))}. Times in this recording are off by that much, and a client that computes token expiry or code age from its own clock is off too.`,
      next: 'Sync the machine’s clock (NTP). Compute expiry from expires_in and the time the answer arrived, not from a server timestamp.',
      evidence: off
        .slice(0, 5)
        .map(
          (g) =>
            `${entryLabel(g.a)}: Date ${headerValue(g.a.exchange.response?.headers ?? [], 'date') ?? ''}, ${span(Math.abs(g.gap))} ${g.gap > 0 ? 'ahead of' : 'behind'} the recording’s clock`,
        ),
      entries: entriesOf(off.map((g) => g.a)),
    },
  ];
};

/** Calls in the minute before a 429 to the same host (PandaDoc limits per user over 60 s). */
const WINDOW_MS = 60_000;
const BURST_MIN = 5;

/** One finding for the whole recording: the burst before the first 429, and every 429 after. */
export const burstThen429: RecordingRuleFn = (items) => {
  const timed = items.filter(
    (a) => a.step.at !== null && (isTokenKind(a.kind) || isApiKind(a.kind)),
  );
  const hits = timed.filter((a) => a.step.status === 429);
  const hit = hits[0];
  if (!hit) return [];
  const host = safeUrl(hit.exchange.request.url)?.host;
  const burst = timed.filter(
    (a) =>
      a.exchange.startedAt <= hit.exchange.startedAt &&
      hit.exchange.startedAt - a.exchange.startedAt <= WINDOW_MS &&
      safeUrl(a.exchange.request.url)?.host === host,
  );
  // A lone 429 is the per-call triage's to explain; a burst is this rule's.
  if (burst.length < BURST_MIN) return [];
  const first = burst[0] as AnalyzedItem;
  const took = span(hit.exchange.startedAt - first.exchange.startedAt);
  const body = hit.exchange.response?.body ?? '';
  const wait = retryAfterSeconds(
    headerValue(hit.exchange.response?.headers ?? [], 'retry-after'),
    /"detail"\s*:\s*"([^"]*)"/.exec(body)?.[1] ?? null,
    hit.exchange.startedAt,
  );
  return [
    {
      rule: 'burst_429',
      severity: 'error',
      title: `${burst.length} calls in ${took}, then 429 Too Many Requests`,
      cause: `PandaDoc limits calls per user over a sliding 60-second window. ${burst.length} calls to ${host ?? 'the same host'} within ${took} ended in a throttled answer${hits.length > 1 ? `; the recording has ${hits.length} throttled answers in all` : ''}.`,
      next: `Slow down: wait ${wait !== null ? `${wait} s (its Retry-After)` : 'as the answer says'} before retrying, retry with exponential backoff, and spread bulk work out (sandbox keys allow only 10 calls a minute per endpoint).`,
      evidence: [
        `First call of the burst: ${entryLabel(first)}; first 429: ${entryLabel(hit)}.`,
        ...hits.slice(0, 5).map((a) => `${entryLabel(a)}: ${a.step.method} ${a.step.where} → 429`),
      ],
      docs: DOCS.rateLimits,
      entries: entriesOf(burst, hits),
    },
  ];
};

export const headersStripped: RecordingRuleFn = (items) => {
  const api = items.filter((a) => isApiKind(a.kind));
  if (!api.length || api.some((a) => headerValue(a.exchange.request.headers, 'authorization')))
    return [];
  return [
    {
      rule: 'headers_stripped',
      severity: 'info',
      title: 'The recording has no Authorization headers',
      cause:
        'API calls are in the recording but none carries an Authorization header. Chrome’s default “Export HAR (sanitized)” removes them (and cookies), so which token each call used cannot be told.',
      next: 'If token reuse is the question, ask for a HAR exported “with sensitive data” and sanitize it here before it goes into the ticket.',
      evidence: api
        .slice(0, 5)
        .map((a) => `${entryLabel(a)}: ${a.step.method} ${a.step.where} without Authorization`),
      entries: entriesOf(api),
    },
  ];
};
