/**
 * What the support report needs of a whole history, kept up to date one entry at a time: steps per
 * kind, each distinct failure with its count and times, the newest steps and the most recent
 * failures before them. The history store updates it after every append and stores it beside the
 * pages, so a report reads this one record, never all 10,000 entries. `tallyOf` counts from
 * scratch: it is the reference, and what a history stored without a tally (schema 1 and 2) gets
 * once.
 *
 * It holds what the entries hold (fingerprints, never secrets), at most STEPS_IN_FULL of them,
 * and counts; no text is added. Kept free of the report's other modules: the store loads it alone.
 */
import { readEntry, type HistoryEntry, type HistoryKind } from '../triage/history.ts';

/** Up to this many steps, the Markdown lists them all. */
export const STEPS_IN_FULL = 100;
export const RECENT_STEPS = 50;
export const RECENT_FAILURES = 50;

/** Did this step go as it should? A verification that confirmed a dead token did. */
export function stepFailed(step: Parameters<typeof readEntry>[0]): boolean {
  const reading = readEntry(step);
  return reading !== 'ok' && reading !== 'confirmed dead';
}

export interface FailureGroup {
  kind: HistoryKind;
  status: number | null;
  errorCode: string | null;
  count: number;
  first: number;
  last: number;
}

export interface HistoryTally {
  /** Entries counted. */
  steps: number;
  /** Time of the first and the last entry; null when there is none. */
  first: number | null;
  last: number | null;
  /** Id of the last entry counted: ties the tally to the pages it counted. */
  lastId: string | null;
  /** Per kind, in the order first seen. */
  byKind: Array<{ kind: HistoryKind; total: number; failed: number }>;
  /** Each distinct (kind, status, error code) failure, in the order first seen. */
  failures: FailureGroup[];
  /** The newest entries, oldest first: all while there are up to STEPS_IN_FULL, then RECENT_STEPS. */
  recent: HistoryEntry[];
  /** The RECENT_FAILURES most recent failed entries before `recent`, with their place (0 = oldest). */
  earlierFailures: Array<[number, HistoryEntry]>;
}

export function emptyTally(): HistoryTally {
  return {
    steps: 0,
    first: null,
    last: null,
    lastId: null,
    byKind: [],
    failures: [],
    recent: [],
    earlierFailures: [],
  };
}

/** Counts `entry` into `t` (changed in place). */
function count(t: HistoryTally, entry: HistoryEntry): void {
  t.steps += 1;
  t.first ??= entry.at;
  t.last = entry.at;
  t.lastId = entry.id;
  t.recent.push(entry);
  // A long history lists only its last steps: the ones before are kept only if they failed.
  const keep = t.steps <= STEPS_IN_FULL ? STEPS_IN_FULL : RECENT_STEPS;
  while (t.recent.length > keep) {
    const place = t.steps - t.recent.length;
    const old = t.recent.shift()!;
    if (stepFailed(old)) t.earlierFailures.push([place, old]);
    if (t.earlierFailures.length > RECENT_FAILURES) t.earlierFailures.shift();
  }
  let kind = t.byKind.find((k) => k.kind === entry.kind);
  if (!kind) t.byKind.push((kind = { kind: entry.kind, total: 0, failed: 0 }));
  kind.total += 1;
  if (!stepFailed(entry)) return;
  kind.failed += 1;
  const group = t.failures.find(
    (f) => f.kind === entry.kind && f.status === entry.status && f.errorCode === entry.errorCode,
  );
  if (group) {
    group.count += 1;
    group.last = entry.at;
  } else {
    t.failures.push({
      kind: entry.kind,
      status: entry.status,
      errorCode: entry.errorCode,
      count: 1,
      first: entry.at,
      last: entry.at,
    });
  }
}

/** `t` with `entry` appended, as a new tally: `t` itself is left as it was. */
export function tallyWith(t: HistoryTally, entry: HistoryEntry): HistoryTally {
  const next: HistoryTally = {
    ...t,
    byKind: t.byKind.map((k) => ({ ...k })),
    failures: t.failures.map((f) => ({ ...f })),
    recent: [...t.recent],
    earlierFailures: [...t.earlierFailures],
  };
  count(next, entry);
  return next;
}

/** The tally of `entries` (oldest first), counted from scratch. */
export function tallyOf(entries: readonly HistoryEntry[]): HistoryTally {
  const t = emptyTally();
  for (const entry of entries) count(t, entry);
  return t;
}
