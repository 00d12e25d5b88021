/**
 * The history's tally (report/tally.ts) as stored beside its pages, and what the support report
 * reads: the history's meta record and its tally, two reads whatever the history's length.
 *
 * The record says which history it counted: the store's entry count when it was written and the
 * id of the last entry it counted, both matched against the meta record (which names the newest
 * entry since tallies exist). A tally that does not match (a history written before tallies, an
 * append that stopped between two writes, another tab's write) is never used: the report counts
 * the pages once from scratch and stores the result.
 *
 * Loaded only when the history is written or reported, so it stays out of the first load.
 */
import { emptyTally, tallyOf, tallyWith, type HistoryTally } from '../report/tally.ts';
import type { ReportHistory } from '../report/types.ts';
import type { HistoryEntry } from '../triage/history.ts';
import type { HistoryStore } from './history.ts';
import type { KeyValue } from './kv.ts';
import { SCHEMA_VERSION } from './records.ts';
import { decodeTally, encodeTally } from './tallyCodec.ts';

/**
 * Raised when what a tally counts or how it is stored changes: a stored tally of another format
 * is counted again. 2: JSON text of rows (tallyCodec.ts).
 */
export const TALLY_FORMAT = 2;

interface TallyRecord {
  format: number;
  /** The store's entry count (its meta) when this was written. */
  covers: number;
  /** The id of the last entry counted. */
  lastId: string | null;
  /** The tally as text (tallyCodec.ts). */
  tally: string;
}

export const tallyKey = (profileId: string) => `history:${profileId}:tally`;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The stored tally of a history of `count` entries whose newest is `lastId`; null when there is
 * none that matches. An empty history needs no read.
 */
export async function readTally(
  kv: KeyValue,
  profileId: string,
  count: number,
  lastId: string | null,
): Promise<HistoryTally | null> {
  if (count === 0) return emptyTally();
  const record = (await kv.get(tallyKey(profileId))) as
    { v?: unknown; data?: Partial<TallyRecord> } | undefined;
  const data = record?.data;
  if (
    !isNumber(record?.v) ||
    record.v > SCHEMA_VERSION ||
    data?.format !== TALLY_FORMAT ||
    data.covers !== count ||
    data.lastId !== lastId ||
    typeof data.tally !== 'string'
  )
    return null;
  const tally = decodeTally(data.tally, profileId);
  return tally?.lastId === lastId ? tally : null;
}

export function writeTally(
  kv: KeyValue,
  profileId: string,
  count: number,
  tally: HistoryTally,
): Promise<void> {
  const data: TallyRecord = {
    format: TALLY_FORMAT,
    covers: count,
    lastId: tally.lastId,
    tally: encodeTally(tally),
  };
  return kv.set(tallyKey(profileId), { v: SCHEMA_VERSION, data });
}

/** Per store and profile, the tally as of its last append (null: unknown, counted by the next report). */
const known = new WeakMap<HistoryStore, Map<string, HistoryTally | null>>();

function knownOf(store: HistoryStore): Map<string, HistoryTally | null> {
  let map = known.get(store);
  if (!map) known.set(store, (map = new Map()));
  return map;
}

/**
 * After `entry` was appended to `before` (the history as the store held it): the tally with it,
 * written beside the pages. Called in order of the appends (HistoryStore.tallying). It starts
 * from the tally of this store's last append when that ends where the pages did, else from the
 * stored one (checked the same way). With none to start from, the tally stays unknown and the
 * next report counts the pages again.
 */
export async function countAppended(
  store: HistoryStore,
  entry: HistoryEntry,
  before: { meta: { count: number }; page: readonly HistoryEntry[] },
): Promise<void> {
  const id = entry.profileId;
  const tallies = knownOf(store);
  const count = before.meta.count;
  let tally: HistoryTally | null = null;
  try {
    const lastId = before.page.at(-1)?.id ?? null;
    // This store's last tally, if it ends where the pages did: not when another tab wrote since,
    // the history was cleared, or an update went missing.
    const last = tallies.get(id);
    const base =
      last && last.lastId === lastId ? last : await readTally(store.kv, id, count, lastId);
    if (base) {
      tally = tallyWith(base, entry);
      await writeTally(store.kv, id, count + 1, tally);
    }
  } catch {
    tally = null; // not written: unknown
  }
  tallies.set(id, tally);
}

/** Before a history is cleared: the tallies being written are let finish, then removed. */
export async function forgetTally(store: HistoryStore, profileId: string): Promise<void> {
  await store.tallying;
  knownOf(store).delete(profileId);
  await store.kv.del(tallyKey(profileId));
}

/**
 * What the support report reads of a profile's history, once this store's appends have written
 * their tallies: the meta record and the stored tally. A history whose meta does not name its
 * newest entry (not appended to since tallies exist) has its newest page read to check against.
 * Without a matching tally, every page is read once, and the tally counted and stored. `all`
 * reads every entry, for the JSON download.
 */
export async function reportHistory(
  store: HistoryStore,
  profileId: string,
): Promise<ReportHistory> {
  await store.tallying;
  const all = () => store.all(profileId);
  const meta = await store.meta(profileId);
  const lastId =
    meta.lastId ?? (meta.count ? ((await store.first(profileId, 1)).entries[0]?.id ?? null) : null);
  const stored = await readTally(store.kv, profileId, meta.count, lastId);
  if (stored) return { tally: stored, all };
  const whole = await store.first(profileId, Infinity);
  const tally = tallyOf(whole.entries.reverse());
  await writeTally(store.kv, profileId, whole.total, tally);
  return { tally, all };
}
