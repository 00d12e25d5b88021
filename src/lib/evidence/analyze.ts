/**
 * Each step of the story with what it carried (fingerprints only), its verdict (the one verdict
 * function, classifyCall) and the triage's reading of it (triageAll), in the History shape.
 */
import type { UpstreamExchange } from '../api/wire.ts';
import { fingerprint } from '../fingerprint.ts';
import { isRecord, tryParseJson } from '../oauth/guards.ts';
import { callSecrets, type HistoryFingerprints, type HistoryLike } from '../triage/history.ts';
import { triageAll } from '../triage/index.ts';
import type { Diagnosis, TriageContext } from '../triage/types.ts';
import { classifyCall, type Verdict } from '../verdict/index.ts';
import { judgeCaptured } from '../traffic/triageCalls.ts';
import type { WireEntry } from '../triage/rules/wire.ts';
import { headerValue, regionOf, whereOf } from './roles.ts';
import type { Story, StoryItem } from './story.ts';
import type { EvidenceStep, StepKind } from './types.ts';

export interface AnalyzedItem extends StoryItem {
  step: EvidenceStep;
  prints: HistoryFingerprints;
  /** Fingerprint of `state` (authorize, consent, callback), '' when sent empty, null when absent. */
  state: string | null;
  /** When the access token this call returned stops working, by expires_in. */
  expiresAt: number | null;
  verdict: Verdict | null;
  triage: Diagnosis[];
}

const TOKEN_KINDS: ReadonlySet<StepKind> = new Set(['exchange', 'refresh', 'token']);
export const isTokenKind = (k: StepKind) => TOKEN_KINDS.has(k);
export const isApiKind = (k: StepKind) => k === 'verify' || k === 'api';

async function printsOf(item: StoryItem): Promise<HistoryFingerprints> {
  const out: HistoryFingerprints = {};
  const add = async (key: keyof HistoryFingerprints, v: string | null | undefined) => {
    if (v) out[key] = await fingerprint(v);
  };
  if (item.kind === 'callback') await add('code', item.params.get('code'));
  if (isTokenKind(item.kind)) {
    await add('code', item.params.get('code'));
    await add('refreshToken', item.params.get('refresh_token'));
  }
  const s = callSecrets(item.exchange);
  await add('accessToken', s.accessToken);
  if (isTokenKind(item.kind)) {
    await add('newAccessToken', s.newAccessToken);
    await add('newRefreshToken', s.newRefreshToken);
  }
  return out;
}

/** The verdict of a token or API call; null when the evidence has the request only. */
function verdictOf(item: StoryItem): Verdict | null {
  const ex = item.exchange;
  if (!ex.response && !ex.failure) return null;
  if (isTokenKind(item.kind))
    return classifyCall(item.kind === 'refresh' ? 'refresh' : 'exchange', ex);
  // Any API call but members/current: the Traffic view's verdict for it, built on classifyCall.
  if (item.kind === 'api') return judgeCaptured(ex, 'api');
  if (item.kind === 'verify') return classifyCall('verify', ex);
  return null;
}

function eventStep(item: StoryItem): Pick<EvidenceStep, 'outcome' | 'errorCode' | 'summary'> {
  const p = item.params;
  const res = item.exchange.response;
  const state = !p.has('state') ? 'no state' : p.get('state') === '' ? 'state empty' : 'state sent';
  if (item.kind === 'callback') {
    const error = p.get('error');
    if (error)
      return {
        outcome: 'error',
        errorCode: error,
        summary: `redirect back with error=${error}; ${state}`,
      };
    if (!p.get('code'))
      return {
        outcome: 'error',
        errorCode: 'missing_code',
        summary: `redirect back without a code; ${state}`,
      };
    return { outcome: 'ok', errorCode: null, summary: `redirect back with a code; ${state}` };
  }
  const what =
    item.kind === 'consent'
      ? 'consent answer'
      : `client_id ${p.get('client_id') ?? '(none)'}, scope “${p.get('scope') ?? '(none)'}”, ${state}`;
  if (!res) return { outcome: 'unknown', errorCode: null, summary: what };
  if (res.status >= 400)
    return {
      outcome: 'error',
      errorCode: `http_${res.status}`,
      summary: `${what}; PandaDoc answered an error page`,
    };
  return {
    outcome: 'ok',
    errorCode: null,
    summary: res.status >= 300 ? `${what}; redirected back` : `${what}; consent page shown`,
  };
}

function expiresAtOf(ex: UpstreamExchange): number | null {
  const parsed = ex.response ? tryParseJson(ex.response.body) : ({ ok: false } as const);
  if (!parsed.ok || !isRecord(parsed.value) || typeof parsed.value.expires_in !== 'number')
    return null;
  return ex.startedAt + ex.durationMs + parsed.value.expires_in * 1000;
}

function historyKind(kind: StepKind): HistoryLike['kind'] {
  if (kind === 'consent') return 'authorize';
  if (kind === 'token') return 'exchange';
  if (kind === 'api') return 'verify';
  return kind;
}

/** The client_id a call sent: in its form, or as the user of HTTP Basic authentication. */
export function clientIdOf(a: StoryItem): string | null {
  const inForm = a.params.get('client_id');
  if (inForm) return inForm;
  const basic = /^Basic\s+(\S+)/i.exec(
    headerValue(a.exchange.request.headers, 'authorization') ?? '',
  );
  if (!basic?.[1]) return null;
  try {
    const user = atob(basic[1]).split(':')[0];
    return user ? decodeURIComponent(user) : null;
  } catch {
    return null;
  }
}

export function asHistory(a: AnalyzedItem): HistoryLike {
  return {
    at: a.exchange.startedAt,
    kind: historyKind(a.kind),
    outcome: a.step.outcome === 'ok' ? 'ok' : 'error',
    status: a.step.status,
    errorCode: a.step.errorCode,
    fingerprints: a.prints,
    clientId: clientIdOf(a),
  };
}

function asWire(a: AnalyzedItem): WireEntry {
  return {
    ...asHistory(a),
    upstream: regionOf(a.exchange.request.url),
    durationMs: a.exchange.durationMs,
    label: `entry ${a.entry}`,
  };
}

/** The triage's view of one call, built from what the recording holds before it. */
function contextFor(
  a: AnalyzedItem,
  before: AnalyzedItem[],
  history: HistoryLike[],
  others: WireEntry[],
): TriageContext {
  const authorize = [...before].reverse().find((b) => b.kind === 'authorize');
  const env =
    regionOf(a.exchange.request.url) ??
    (authorize ? regionOf(authorize.exchange.request.url) : null) ??
    'us';
  const context: TriageContext = {
    history,
    profile: {
      // Unknown is taken as "the same app as before": no mismatch is claimed without both ids.
      clientId:
        clientIdOf(a) ??
        authorize?.params.get('client_id') ??
        before
          .filter((b) => isTokenKind(b.kind))
          .map(clientIdOf)
          .filter((id) => id !== null)
          .at(-1) ??
        '',
      redirectUri: authorize?.params.get('redirect_uri') ?? '',
      environment: env,
    },
    refreshTokenFingerprint: a.prints.refreshToken,
    accessTokenFingerprint: a.prints.accessToken,
    // The cross-call rules the Traffic view runs (lib/triage/rules/wire.ts) read this.
    wire: {
      upstream: regionOf(a.exchange.request.url),
      sent: a.prints,
      others,
    },
  };
  const issuer = before.find(
    (b) => b.prints.newAccessToken && b.prints.newAccessToken === a.prints.accessToken,
  );
  if (issuer?.expiresAt) context.accessTokenExpiresAt = issuer.expiresAt;
  const callback = a.prints.code
    ? before.find((b) => b.kind === 'callback' && b.prints.code === a.prints.code)
    : undefined;
  if (callback && a.prints.code) {
    const auth = [...before]
      .reverse()
      .find((b) => b.kind === 'authorize' && b.exchange.startedAt <= callback.exchange.startedAt);
    context.code = {
      fingerprint: a.prints.code,
      capturedAt: callback.exchange.startedAt,
      authorizedAt: auth?.exchange.startedAt,
      clientId: auth?.params.get('client_id') ?? undefined,
      redirectUri: auth?.params.get('redirect_uri') ?? undefined,
    };
  }
  return context;
}

export async function analyzeStory(story: Story): Promise<AnalyzedItem[]> {
  const out: AnalyzedItem[] = [];
  // Built once per step, so a recording of thousands of calls stays linear to set up.
  const history: HistoryLike[] = [];
  const wires: WireEntry[] = [];
  /** How many steps started strictly before the current one (the steps are in time order). */
  let earlier = 0;
  for (const item of story.items) {
    const ex = item.exchange;
    const prints = await printsOf(item);
    const verdict = verdictOf(item);
    const state = item.params.get('state');
    const base = verdict
      ? {
          outcome: verdict.outcome,
          errorCode: verdict.errorCode,
          summary: verdict.summary,
        }
      : isTokenKind(item.kind) || isApiKind(item.kind)
        ? {
            outcome: 'unknown' as const,
            errorCode: null,
            summary: 'request only: the evidence has no answer',
          }
        : eventStep(item);
    const a: AnalyzedItem = {
      ...item,
      prints,
      state: state === null ? null : state === '' ? '' : await fingerprint(state),
      expiresAt: expiresAtOf(ex),
      verdict,
      triage: [],
      step: {
        id: `${item.kind}-${item.entry}-${out.length}`,
        entry: item.entry,
        kind: item.kind,
        at: item.timed ? ex.startedAt : null,
        // Pasted evidence has no duration (0); neither does a redirect read from a Location header.
        durationMs: ex.durationMs > 0 ? ex.durationMs : null,
        method: ex.request.method || '—',
        where: whereOf(ex.request.url),
        status: ex.response?.status ?? null,
        ...base,
        fingerprints: prints,
      },
    };
    while (earlier < out.length && (out[earlier]?.exchange.startedAt ?? 0) < ex.startedAt)
      earlier++;
    const n = item.timed ? earlier : out.length;
    // An API call that worked needs no triage: every rule that reads one is about a failure.
    const worked = isApiKind(item.kind) && verdict?.outcome === 'ok';
    if (verdict && !worked && (isTokenKind(item.kind) || isApiKind(item.kind))) {
      const kind =
        item.kind === 'refresh' ? 'refresh' : isTokenKind(item.kind) ? 'exchange' : 'verify';
      a.triage = triageAll({
        kind,
        call: { ...ex, verdict },
        now: ex.startedAt + ex.durationMs,
        context: contextFor(a, out.slice(0, n), history.slice(0, n), wires.slice()),
      });
    }
    history.push(asHistory(a));
    wires.push(asWire(a));
    out.push(a);
  }
  return out;
}
