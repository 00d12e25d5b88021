/**
 * The triage over a whole recording (the Traffic capture, or any list of calls): each call is
 * judged once, fingerprinted with the app's one fingerprint function, and triaged with the
 * recording's other calls as its history, so the cross-call rules (a code sent twice, two
 * refreshes racing, an access token used after its refresh) can see them. Pure apart from hashing.
 */
import type { UpstreamExchange } from '../api/wire.ts';
import type { EnvironmentId } from '../oauth/environments.ts';
import { isRecord, tryParseJson } from '../oauth/guards.ts';
import {
  callFingerprints,
  type Diagnosis,
  type HistoryFingerprints,
  type TriageContext,
  triageAll,
} from '../triage/index.ts';
import type { WireEntry } from '../triage/rules/wire.ts';
import { classifyCall, refusalOf, type Verdict } from '../verdict/classify.ts';
import { captureKind, decodeRequestBody, type CaptureKind } from './describe.ts';

export interface RecordedCall extends UpstreamExchange {
  /** Where the call went, when known (captured calls know). */
  upstream?: EnvironmentId | null;
}

/** How the diagnoses name a call: "call #12 (curl 8.5.0)". */
export type CallLabeller = (call: RecordedCall, index: number) => string;

/**
 * A verdict for any PandaDoc API call: 2xx worked; otherwise its `type`, `error` or status. Built
 * on the member call's verdict (same failure and error reading), without its member-record check.
 */
function apiVerdict(call: UpstreamExchange): Verdict {
  const base = classifyCall('verify', call);
  const res = call.response;
  if (!res || call.failure || refusalOf(call)) return base;
  // A redirect is how the consent screen answers; the pass-through never follows one.
  if (res.status >= 200 && res.status < 400)
    return { ...base, outcome: 'ok', errorCode: null, summary: `${res.status}`, detail: null };
  const parsed = tryParseJson(res.body);
  const body = parsed.ok && isRecord(parsed.value) ? parsed.value : {};
  const code =
    typeof body.type === 'string'
      ? body.type
      : typeof body.error === 'string'
        ? body.error
        : `http_${res.status}`;
  return { ...base, outcome: 'error', errorCode: code, summary: `${res.status} ${code}` };
}

const judged = new WeakMap<UpstreamExchange, { kind: CaptureKind; verdict: Verdict }>();

/**
 * The one verdict on a captured call, decided once for it: once per call object (the Traffic view
 * judges a call as it lists it, and its triage reads that verdict).
 */
export function judgeCaptured(call: UpstreamExchange, kind = captureKind(call)): Verdict {
  const known = judged.get(call);
  if (known?.kind === kind) return known.verdict;
  const verdict =
    kind === 'api' || kind === 'authorize' ? apiVerdict(call) : classifyCall(kind, call);
  judged.set(call, { kind, verdict });
  return verdict;
}

/** Where a call without a response keeps its fingerprints (a WeakMap key must be an object). */
const NO_RESPONSE = {};
const prints = new WeakMap<object, WeakMap<object, Promise<HistoryFingerprints>>>();

/**
 * callFingerprints, once per exchange: they are read off the request and the response alone, and
 * a run of like calls from the event stream shares both objects (hashing is most of a new call's
 * cost in a tab that lists thousands a second).
 */
export function fingerprintsOf(call: UpstreamExchange): Promise<HistoryFingerprints> {
  let byResponse = prints.get(call.request);
  if (!byResponse) prints.set(call.request, (byResponse = new WeakMap()));
  const key = call.response ?? NO_RESPONSE;
  let p = byResponse.get(key);
  if (!p) {
    p = callFingerprints(call);
    byResponse.set(key, p);
  }
  return p;
}

export interface TriagedCall {
  kind: CaptureKind;
  verdict: Verdict;
  fingerprints: HistoryFingerprints;
  diagnoses: Diagnosis[];
}

interface ReadCall {
  kind: CaptureKind;
  verdict: Verdict;
  fingerprints: HistoryFingerprints;
  entry: Omit<WireEntry, 'label'>;
}

// What a call says about itself never changes: read once per call object, so a new call among
// a thousand costs one read, not a thousand.
const reads = new WeakMap<UpstreamExchange, Promise<ReadCall>>();

function readCall(call: RecordedCall): Promise<ReadCall> {
  let p = reads.get(call);
  if (!p) {
    p = fingerprintsOf(call).then((fingerprints) => {
      const kind = captureKind(call);
      const verdict = judgeCaptured(call, kind);
      const form = decodeRequestBody(call.request).fields;
      return {
        kind,
        verdict,
        fingerprints,
        entry: {
          at: call.startedAt,
          kind: kind === 'api' ? 'verify' : kind,
          outcome: verdict.outcome,
          status: call.response?.status ?? null,
          errorCode: verdict.errorCode,
          fingerprints,
          clientId: form.find((f) => f.name === 'client_id')?.value ?? null,
          upstream: call.upstream ?? null,
          durationMs: call.durationMs,
        },
      };
    });
    reads.set(call, p);
  }
  return p;
}

/**
 * Triage for every call in `calls` (oldest first), or only for those at `indexes`. Each call's
 * history is the rest of the recording: rules only use what came earlier, except the race rule,
 * which looks at calls that overlapped it in time.
 */
export async function triageRecording(
  calls: readonly RecordedCall[],
  label: CallLabeller = (_c, i) => `call ${i + 1}`,
  indexes?: readonly number[],
): Promise<TriagedCall[]> {
  return (await prepareRecording(calls, label))(indexes ?? calls.map((_c, i) => i));
}

/**
 * The recording read once, ready to triage any of its calls: what triageRecording does, for a
 * caller that triages a few calls at a time (the Traffic view, between frames) without reading the
 * whole recording again for each few.
 */
export async function prepareRecording(
  calls: readonly RecordedCall[],
  label: CallLabeller = (_c, i) => `call ${i + 1}`,
): Promise<(indexes: readonly number[]) => TriagedCall[]> {
  const read = await Promise.all(calls.map(readCall));
  const kinds = read.map((r) => r.kind);
  const verdicts = read.map((r) => r.verdict);
  const fps = read.map((r) => r.fingerprints);
  const entries: WireEntry[] = calls.map((c, i) => ({ ...read[i]!.entry, label: label(c, i) }));
  // A call the debugger refused never reached PandaDoc: no evidence for or against any other.
  const usable: WireEntry[] = [];
  const at = calls.map((c, i) => (refusalOf(c) === null ? usable.push(entries[i]!) - 1 : -1));
  return (wanted) =>
    wanted.map((i) => {
      const call = calls[i]!;
      const kind = kinds[i]!;
      const verdict = verdicts[i]!;
      // The consent screen is a browser's page, not an API answer: nothing here to triage.
      if (kind === 'authorize') return { kind, verdict, fingerprints: fps[i]!, diagnoses: [] };
      const k = at[i]!;
      const others = k < 0 ? usable : usable.slice(0, k).concat(usable.slice(k + 1));
      const form = decodeRequestBody(call.request).fields;
      const field = (name: string) => form.find((f) => f.name === name)?.value ?? '';
      const context: TriageContext = {
        history: others,
        profile: {
          clientId: field('client_id'),
          redirectUri: field('redirect_uri'),
          environment: call.upstream ?? 'simulator',
        },
        refreshTokenFingerprint: fps[i]!.refreshToken,
        accessTokenFingerprint: fps[i]!.accessToken,
        wire: { upstream: call.upstream ?? null, sent: fps[i]!, others },
      };
      const diagnoses = triageAll({
        kind: kind === 'api' ? 'verify' : kind,
        call: { ...call, verdict },
        now: call.startedAt + call.durationMs,
        context,
      });
      return { kind, verdict, fingerprints: fps[i]!, diagnoses };
    });
}

/** What the re-triage needs to know of a listed call. */
export interface ListedCall {
  call: RecordedCall;
  kind: CaptureKind;
  verdict: Verdict;
}

/**
 * Which calls already triaged a batch of newer ones can change, read off what the rules look at
 * (lib/triage): a call's history is the calls that started before it (facts.earlier, the region
 * rule); only two rules read calls that started later, both for a failed token call: a code sent
 * twice (every exchange, for the one that used the code; every refresh, for what became of the
 * pair it returned) and a refresh race (the refreshes that overlapped it). A refused call is
 * nobody's history. Anything else a new call cannot change: under a flood of like calls, only
 * the few that overlapped the newest are triaged again, not the whole list.
 */
export function changedBy(fresh: readonly ListedCall[]): (listed: ListedCall) => boolean {
  let firstStart = Infinity;
  let exchange = false;
  let refresh = false;
  for (const f of fresh) {
    if (refusalOf(f.call) !== null) continue;
    firstStart = Math.min(firstStart, f.call.startedAt);
    exchange ||= f.kind === 'exchange';
    refresh ||= f.kind === 'refresh';
  }
  return ({ call, kind, verdict }) => {
    if (call.startedAt > firstStart) return true;
    if (verdict.outcome === 'ok') return false;
    return (kind === 'exchange' && (exchange || refresh)) || (kind === 'refresh' && refresh);
  };
}
