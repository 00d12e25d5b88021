/**
 * The history tally as stored: JSON text, its entries as rows of values (their keys and profile id
 * left out). The tally is read for every report: one string parses faster than a hundred entries
 * as objects, and rows are about half the size. Reading checks every part, and every entry as it
 * would check one on a history page; anything else reads as no tally (the report counts again).
 */
import type { HistoryTally } from '../report/tally.ts';
import { isHistoryEntry, type HistoryEntry } from '../triage/history.ts';

type Row = [
  HistoryEntry['id'],
  HistoryEntry['at'],
  HistoryEntry['kind'],
  HistoryEntry['outcome'],
  HistoryEntry['status'],
  HistoryEntry['errorCode'],
  HistoryEntry['grant'],
  HistoryEntry['verification'],
  HistoryEntry['durationMs'],
  HistoryEntry['clientId'],
  HistoryEntry['fingerprints'],
  HistoryEntry['note'],
];

const row = (e: HistoryEntry): Row => [
  e.id,
  e.at,
  e.kind,
  e.outcome,
  e.status,
  e.errorCode,
  e.grant,
  e.verification,
  e.durationMs,
  e.clientId,
  e.fingerprints,
  e.note,
];

function entry(r: unknown, profileId: string): HistoryEntry | null {
  if (!Array.isArray(r) || r.length !== 12) return null;
  const [id, at, kind, outcome, status, errorCode, grant, verification, durationMs, clientId] =
    r as Row;
  const [fingerprints, note] = [r[10] as Row[10], r[11] as Row[11]];
  const e = {
    id,
    profileId,
    at,
    kind,
    outcome,
    status,
    errorCode,
    grant,
    verification,
    durationMs,
    clientId,
    fingerprints,
    note,
  };
  return isHistoryEntry(e) ? e : null;
}

export function encodeTally(tally: HistoryTally): string {
  return JSON.stringify({
    ...tally,
    recent: tally.recent.map(row),
    earlierFailures: tally.earlierFailures.map(([place, e]) => [place, row(e)]),
  });
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The tally `text` holds (entries of `profileId`), or null when it is not a whole one. */
export function decodeTally(text: string, profileId: string): HistoryTally | null {
  let t: Partial<Record<keyof HistoryTally, unknown>>;
  try {
    t = JSON.parse(text) as typeof t;
  } catch {
    return null;
  }
  if (
    typeof t !== 'object' ||
    t === null ||
    !isNumber(t.steps) ||
    !(t.first === null || isNumber(t.first)) ||
    !(t.last === null || isNumber(t.last)) ||
    !(t.lastId === null || typeof t.lastId === 'string') ||
    !Array.isArray(t.byKind) ||
    !Array.isArray(t.failures) ||
    !Array.isArray(t.recent) ||
    !Array.isArray(t.earlierFailures)
  )
    return null;
  const recent = t.recent.map((r) => entry(r, profileId));
  const earlier = t.earlierFailures.map((f): [number, HistoryEntry | null] | null =>
    Array.isArray(f) && isNumber(f[0]) ? [f[0], entry(f[1], profileId)] : null,
  );
  if (!recent.every((e) => e !== null) || !earlier.every((f) => f !== null && f[1] !== null))
    return null;
  return {
    ...(t as HistoryTally),
    recent: recent as HistoryEntry[],
    earlierFailures: earlier as Array<[number, HistoryEntry]>,
  };
}
