/** What the rules read off a recorded call and the history, computed once. */
import type { UpstreamExchange } from '../api/wire.ts';
import { isRecord, looksLikeHtml, preview, tryParseJson } from '../oauth/guards.ts';
import { classifyCall, type Verdict } from '../verdict/classify.ts';
import type { HistoryKind, HistoryLike } from './history.ts';
import type { Diagnosis, TriageInput } from './types.ts';

export interface CallFacts {
  /** Whether the call worked: the one verdict stored with the call (see verdict/classify.ts). */
  verdict: Verdict;
  /** HTTP status, or null when no answer came. */
  status: number | null;
  /** A response header, case-insensitive. */
  header(name: string): string | null;
  /** A request header, case-insensitive. */
  requestHeader(name: string): string | null;
  /** The request body as a form, or null when it was not form-encoded. */
  form: URLSearchParams | null;
  /** The response body parsed as a JSON object, or null. */
  json: Record<string, unknown> | null;
  /** The response body is JSON (of any type). */
  isJson: boolean;
  isHtml: boolean;
  /** OAuth `error` / `error_description` of a token response. */
  error: string | null;
  description: string | null;
  /** PandaDoc API error `type` / `detail`. */
  type: string | null;
  detail: string | null;
  /** Raw body, for the rules that must show it as received. */
  body: string;
  /** Earlier history entries: those before this call started. */
  earlier: HistoryLike[];
  /**
   * How far the upstream's clock (its Date header) is ahead of this browser's, when that is more
   * than a minute; else 0. The simulator's clock can be moved, and real servers drift.
   */
  clockSkewMs: number;
  /** When the upstream thinks this call happened. */
  upstreamNow: number;
}

/** Below this, Date-header differences are network time and rounding, not a different clock. */
export const CLOCK_SKEW_THRESHOLD_MS = 60_000;

function clockSkew(call: UpstreamExchange, date: string | null): number {
  const upstream = date ? Date.parse(date) : NaN;
  if (!Number.isFinite(upstream)) return 0;
  const skew = upstream - (call.startedAt + call.durationMs / 2);
  return Math.abs(skew) > CLOCK_SKEW_THRESHOLD_MS ? skew : 0;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function headerLookup(headers: ReadonlyArray<readonly [string, string]>) {
  return (name: string): string | null =>
    headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? null;
}

function readForm(call: UpstreamExchange): URLSearchParams | null {
  const type = headerLookup(call.request.headers)('content-type') ?? '';
  if (!call.request.body) return null;
  if (type.split(';')[0]?.trim().toLowerCase() !== 'application/x-www-form-urlencoded') return null;
  return new URLSearchParams(call.request.body);
}

export function readFacts(input: TriageInput): CallFacts {
  const { call } = input;
  const res = call.response;
  const body = res?.body ?? '';
  const header = headerLookup(res?.headers ?? []);
  const parsed = res && body.trim() !== '' ? tryParseJson(body) : ({ ok: false } as const);
  const json = parsed.ok && isRecord(parsed.value) ? parsed.value : null;
  let earlier: HistoryLike[] | undefined;
  return {
    verdict: call.verdict ?? classifyCall(input.kind, call),
    status: res?.status ?? null,
    header,
    requestHeader: headerLookup(call.request.headers),
    form: readForm(call),
    json,
    isJson: parsed.ok,
    isHtml: res !== null && looksLikeHtml(header('content-type'), body),
    error: str(json?.error),
    description: str(json?.error_description),
    type: str(json?.type),
    detail: str(json?.detail),
    body,
    // Read only by rules that explain a failure: not filtered out of a long recording for the rest.
    get earlier() {
      return (earlier ??= input.context.history.filter((h) => h.at < call.startedAt));
    },
    clockSkewMs: clockSkew(call, header('date')),
    upstreamNow: call.startedAt + clockSkew(call, header('date')),
  };
}

/** A rule: a Diagnosis when it recognises the situation, null otherwise. */
export type Rule = (input: TriageInput, facts: CallFacts) => Diagnosis | null;

/** Local wall-clock time, HH:MM:SS, as the user saw it on screen. */
export function clock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}

/** A duration in words: "45 s", "4 min 10 s", "2 h 5 min", "3 days". */
export function span(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86400) {
    const m = Math.floor((s % 3600) / 60);
    return `${Math.floor(s / 3600)} h${m ? ` ${m} min` : ''}`;
  }
  const d = Math.floor(s / 86400);
  return `${d} day${d === 1 ? '' : 's'}`;
}

/** 1-based number of `entry` among the entries of its kind: "attempt 2". */
export function attemptOf(history: readonly HistoryLike[], entry: HistoryLike): number {
  return history.filter((h) => h.kind === entry.kind && h.at <= entry.at).length;
}

/** "the exchange at 10:31:05 (attempt 1)" */
export function describeAttempt(history: readonly HistoryLike[], entry: HistoryLike): string {
  return `${label(entry.kind)} at ${clock(entry.at)} (attempt ${attemptOf(history, entry)})`;
}

function label(kind: HistoryKind): string {
  switch (kind) {
    case 'exchange':
      return 'the exchange';
    case 'refresh':
      return 'the refresh';
    case 'verify':
      return 'the member call';
    case 'check':
      return 'the check';
    case 'authorize':
      return 'the authorize request';
    case 'callback':
      return 'the callback';
  }
}

/** The response body as received, short enough for an evidence line. */
export function asReceived(facts: CallFacts): string {
  return facts.body.trim() === '' ? '(empty body)' : preview(facts.body, 300);
}

/** The call worked, by its verdict. */
export const succeeded = (facts: CallFacts): boolean => facts.verdict.outcome === 'ok';
