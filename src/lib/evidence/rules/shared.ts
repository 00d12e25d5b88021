/** What the recording rules share: their signature and how they name entries and times. */
import { clock, span } from '../../triage/facts.ts';
import type { AnalyzedItem } from '../analyze.ts';
import type { EvidenceDiagnosis } from '../types.ts';

/** A rule over a whole recording: every situation it recognises, each naming its entries. */
export type RecordingRuleFn = (items: readonly AnalyzedItem[]) => EvidenceDiagnosis[];

export { clock, span };

/** "entry 12 (10:31:05)", or "entry 12" when the evidence has no time. */
export function entryLabel(a: AnalyzedItem): string {
  return a.step.at === null ? `entry ${a.entry}` : `entry ${a.entry} (${clock(a.step.at)})`;
}

export function entryList(items: readonly AnalyzedItem[]): string {
  const labels = items.map(entryLabel);
  return labels.length <= 1
    ? (labels[0] ?? '')
    : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1) ?? ''}`;
}

/** Sorted, unique entry numbers. */
export function entriesOf(...groups: ReadonlyArray<readonly AnalyzedItem[]>): number[] {
  return [...new Set(groups.flat().map((a) => a.entry))].sort((x, y) => x - y);
}

export const endOf = (a: AnalyzedItem) => a.exchange.startedAt + a.exchange.durationMs;

/** Groups items by a key, keeping only keys shared by two or more. */
export function repeated<K>(
  items: readonly AnalyzedItem[],
  key: (a: AnalyzedItem) => K | undefined | null,
): Map<K, AnalyzedItem[]> {
  const groups = new Map<K, AnalyzedItem[]>();
  for (const a of items) {
    const k = key(a);
    if (k === undefined || k === null || k === '') continue;
    groups.set(k, [...(groups.get(k) ?? []), a]);
  }
  for (const [k, v] of groups) if (v.length < 2) groups.delete(k);
  return groups;
}

/** The authorize request a later step belongs to: the last one started before it. */
export function authorizeBefore(
  items: readonly AnalyzedItem[],
  a: AnalyzedItem,
): AnalyzedItem | undefined {
  const i = items.indexOf(a);
  return items
    .slice(0, i < 0 ? items.length : i)
    .reverse()
    .find((b) => b.kind === 'authorize');
}
