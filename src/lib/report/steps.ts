/**
 * The history as the report carries it. One pass counts the summary (steps per kind, each distinct
 * failure) and picks what the Markdown lists; a ReportStep (free-text fields scrubbed, field by
 * field) is made for those, and for every entry only when the JSON's `steps` are read.
 */
import { readEntry, type HistoryEntry, type HistoryFingerprints } from '../triage/history.ts';
import type { Scrubber } from './scrub.ts';
import type { ReportStep, ReportSummary } from './types.ts';

/** Up to this many steps, the Markdown lists them all. */
export const STEPS_IN_FULL = 100;
export const RECENT_STEPS = 50;
export const RECENT_FAILURES = 50;

const iso = (ms: number) => new Date(ms).toISOString();

/** Did this step go as it should? A verification that confirmed a dead token did. */
export function stepFailed(step: Parameters<typeof readEntry>[0]): boolean {
  const reading = readEntry(step);
  return reading !== 'ok' && reading !== 'confirmed dead';
}

/** What the report needs of the history: the summary, the steps to list, and all on demand. */
export interface StepsDigest {
  count: number;
  summary: ReportSummary;
  /** Every step when there are few; else the last RECENT_STEPS. Index = position, oldest 0. */
  listed: Array<[number, ReportStep]>;
  /** With a long history: the most recent failures before the listed steps, oldest first. */
  failures: Array<[number, ReportStep]>;
  /** Every step, oldest first (made on the first call). */
  all(): ReportStep[];
}

function scrubPrints(prints: HistoryFingerprints, scrub: Scrubber): HistoryFingerprints {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(prints)) if (typeof v === 'string') out[k] = scrub.text(v);
  return out as HistoryFingerprints;
}

/** Every field named: an entry's ids stay out, and a field added later is added here on purpose. */
function reportStep(h: HistoryEntry, scrub: Scrubber): ReportStep {
  return {
    at: iso(h.at),
    kind: h.kind,
    outcome: h.outcome,
    status: h.status,
    errorCode: h.errorCode === null ? null : scrub.text(h.errorCode),
    grant: h.grant,
    verification: h.verification,
    durationMs: h.durationMs,
    clientId: h.clientId === null ? null : scrub.text(h.clientId),
    fingerprints: scrubPrints(h.fingerprints, scrub),
    note: scrub.text(h.note),
  };
}

export function digestSteps(history: readonly HistoryEntry[], scrub: Scrubber): StepsDigest {
  const n = history.length;
  const byKind = new Map<string, ReportSummary['byKind'][number]>();
  type Group = {
    kind: HistoryEntry['kind'];
    status: number | null;
    errorCode: string | null;
    count: number;
    first: number;
    last: number;
  };
  // By kind, then status, then error code: no key to build for each of thousands of failures.
  const groups = new Map<string, Map<number | null, Map<string | null, Group>>>();
  const failures: Group[] = [];
  const listedFrom = n <= STEPS_IN_FULL ? 0 : n - RECENT_STEPS;
  for (let i = 0; i < n; i++) {
    const h = history[i]!;
    let kind = byKind.get(h.kind);
    if (!kind) byKind.set(h.kind, (kind = { kind: h.kind, total: 0, failed: 0 }));
    kind.total += 1;
    if (!stepFailed(h)) continue;
    kind.failed += 1;
    let byStatus = groups.get(h.kind);
    if (!byStatus) groups.set(h.kind, (byStatus = new Map()));
    let byCode = byStatus.get(h.status);
    if (!byCode) byStatus.set(h.status, (byCode = new Map()));
    const seen = byCode.get(h.errorCode);
    if (seen) {
      seen.count += 1;
      seen.last = h.at;
    } else {
      const group = {
        kind: h.kind,
        status: h.status,
        errorCode: h.errorCode,
        count: 1,
        first: h.at,
        last: h.at,
      };
      byCode.set(h.errorCode, group);
      failures.push(group);
    }
  }
  // The most recent failures before the listed steps: walked back from there, a few hundred at most.
  const earlierFailures: number[] = [];
  for (let i = listedFrom - 1; i >= 0 && earlierFailures.length < RECENT_FAILURES; i--)
    if (stepFailed(history[i]!)) earlierFailures.unshift(i);
  const pick = (i: number): [number, ReportStep] => [i, reportStep(history[i]!, scrub)];
  let all: ReportStep[] | null = null;
  return {
    count: n,
    summary: {
      steps: n,
      first: n ? iso(history[0]!.at) : null,
      last: n ? iso(history[n - 1]!.at) : null,
      byKind: [...byKind.values()],
      failures: failures
        .sort((a, b) => b.count - a.count)
        .map((f) => ({
          ...f,
          errorCode: f.errorCode === null ? null : scrub.text(f.errorCode),
          first: iso(f.first),
          last: iso(f.last),
        })),
    },
    listed: Array.from({ length: n - listedFrom }, (_, j) => pick(listedFrom + j)),
    failures: earlierFailures.map(pick),
    all: () => (all ??= history.map((h) => reportStep(h, scrub))),
  };
}
