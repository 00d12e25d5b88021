/**
 * The history as the report carries it. The summary, the steps the Markdown lists and the earlier
 * failures all come from the history's tally (counted as entries were appended, see tally.ts). A
 * ReportStep (free-text fields scrubbed, field by field) is made for those, and for every entry
 * only when the JSON is written: nothing here walks the whole history.
 */
import type { HistoryEntry, HistoryFingerprints } from '../triage/history.ts';
import { isoTime } from './isoTime.ts';
import type { Scrubber } from './scrub.ts';
import { tallyOf } from './tally.ts';
import type { ReportHistory, ReportStep, ReportSummary } from './types.ts';

export { RECENT_FAILURES, RECENT_STEPS, STEPS_IN_FULL, stepFailed } from './tally.ts';

// Made for every step the report lists, and for every one of 10,000 in the JSON.
const iso = isoTime;

/** What the report needs of the history: the summary, the steps to list, and all on demand. */
export interface StepsDigest {
  count: number;
  summary: ReportSummary;
  /** Every step when there are few; else the last RECENT_STEPS. Index = position, oldest 0. */
  listed: Array<[number, ReportStep]>;
  /** With a long history: the most recent failures before the listed steps, oldest first. */
  failures: Array<[number, ReportStep]>;
  /** Every step, oldest first: the history's `all` (read on each call), checked to be the one summarised. */
  all(): Promise<ReportStep[]>;
}

/** A ReportHistory of entries held in memory (oldest first), counted from scratch. */
export function reportHistoryOf(entries: readonly HistoryEntry[]): ReportHistory {
  return { tally: tallyOf(entries), all: async () => entries };
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

export function digestSteps(history: ReportHistory, scrub: Scrubber): StepsDigest {
  const { tally } = history;
  const n = tally.steps;
  // The tally keeps every step while there are few, then the last RECENT_STEPS.
  const listedFrom = n - tally.recent.length;
  const listed = tally.recent.map((h, j): [number, ReportStep] => [
    listedFrom + j,
    reportStep(h, scrub),
  ]);
  const failures = tally.earlierFailures.map(([i, h]): [number, ReportStep] => [
    i,
    reportStep(h, scrub),
  ]);
  const all = async () => {
    const entries = await history.all();
    // Entries appended since are left out; a history cleared or replaced since is refused.
    if (entries.length < n || (entries[n - 1]?.id ?? null) !== tally.lastId)
      throw new Error('the history changed since this report was built: build it again');
    return entries.slice(0, n).map((h) => reportStep(h, scrub));
  };
  return {
    count: n,
    summary: {
      steps: n,
      first: tally.first === null ? null : iso(tally.first),
      last: tally.last === null ? null : iso(tally.last),
      byKind: tally.byKind.map((k) => ({ ...k })),
      // Most frequent first; equal counts in the order first seen (the sort is stable).
      failures: [...tally.failures]
        .sort((a, b) => b.count - a.count)
        .map((f) => ({
          ...f,
          errorCode: f.errorCode === null ? null : scrub.text(f.errorCode),
          first: iso(f.first),
          last: iso(f.last),
        })),
    },
    listed,
    failures,
    all,
  };
}
