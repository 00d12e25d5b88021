import { toHistoryEntry, type HistoryEntry } from '../triage/history.ts';
import type { KeyValue } from './kv.ts';
import { SCHEMA_VERSION } from './records.ts';

/**
 * A profile's timeline, kept in pages of PAGE_SIZE entries so that appending rewrites one small
 * page rather than the whole history (10,000 entries stay cheap), and reading goes page by page
 * from the newest (`first`, then `older` with a cursor): loading more costs one page, not the
 * prefix. Entries hold fingerprints, not secrets, so they are stored unsealed.
 *
 * Beside the pages, a tally of the whole history, updated after each append (historyTally.ts,
 * loaded then: it stays out of the first load). The support report reads it and the newest page
 * or two, not every page.
 */

export const PAGE_SIZE = 250;

/**
 * Where a newest-first read goes on: the next older page to read. Pages are numbered from the
 * oldest (0) and an append only ever touches the newest, so a cursor stays valid while the
 * timeline grows.
 */
export interface HistoryCursor {
  profileId: string;
  page: number;
}

export interface HistoryPage {
  /** Newest first. */
  entries: HistoryEntry[];
  next: HistoryCursor | null;
}

export interface Meta {
  pages: number;
  count: number;
  /** The newest entry's id (since the tally: see historyTally.ts). */
  lastId?: string;
}

const metaKey = (profileId: string) => `history:${profileId}:meta`;
const pageKey = (profileId: string, page: number) => `history:${profileId}:${page}`;
const tallies = () => import('./historyTally.ts');

export class HistoryStore {
  /** The last page of each profile, as written: an append needs no read. */
  #tail = new Map<string, { meta: Meta; page: HistoryEntry[] }>();
  readonly problems: string[] = [];
  /** The tallies of this store's appends being written, in order (historyTally.ts). */
  tallying: Promise<unknown> = Promise.resolve();

  constructor(readonly kv: KeyValue) {}

  async meta(profileId: string): Promise<Meta> {
    const record = (await this.kv.get(metaKey(profileId))) as
      { v?: number; data?: Meta } | undefined;
    const meta = record?.data;
    if (
      record &&
      typeof record.v === 'number' &&
      record.v <= SCHEMA_VERSION &&
      meta &&
      Number.isInteger(meta.pages) &&
      Number.isInteger(meta.count)
    ) {
      return meta;
    }
    if (record)
      this.problems.push(
        `The history index of profile ${profileId} was unreadable; starting a new one`,
      );
    return { pages: 0, count: 0 };
  }

  async #page(profileId: string, page: number): Promise<HistoryEntry[]> {
    const record = (await this.kv.get(pageKey(profileId, page))) as
      { v?: number; data?: unknown } | undefined;
    if (!record) return [];
    // Older pages are read and migrated entry by entry; a newer version is not guessed at.
    if (typeof record.v !== 'number' || record.v > SCHEMA_VERSION || !Array.isArray(record.data)) {
      this.problems.push(
        `History page ${page} of profile ${profileId} was unreadable and was skipped`,
      );
      return [];
    }
    const good = record.data.map(toHistoryEntry).filter((e): e is HistoryEntry => e !== null);
    if (good.length < record.data.length) {
      this.problems.push(
        `${record.data.length - good.length} history entries were unreadable and were skipped`,
      );
    }
    return good;
  }

  async append(entry: HistoryEntry): Promise<void> {
    const id = entry.profileId;
    let tail = this.#tail.get(id);
    if (!tail) {
      const meta = await this.meta(id);
      tail = { meta, page: meta.pages ? await this.#page(id, meta.pages - 1) : [] };
    }
    let { meta, page } = tail;
    if (meta.pages === 0 || page.length >= PAGE_SIZE) {
      meta = { ...meta, pages: meta.pages + 1 };
      page = [];
    }
    page = [...page, entry];
    meta = { ...meta, count: meta.count + 1, lastId: entry.id };
    await this.kv.set(pageKey(id, meta.pages - 1), { v: SCHEMA_VERSION, data: page });
    await this.kv.set(metaKey(id), { v: SCHEMA_VERSION, data: meta });
    this.#tail.set(id, { meta, page });
    const counted = tail; // the history before this entry
    this.tallying = this.tallying
      .then(async () => (await tallies()).countAppended(this, entry, counted))
      .catch(() => {}); // not loaded: the stored tally no longer matches, the report counts again
  }

  /**
   * The newest entries, newest first: whole pages, the newest first, until at least `min` entries
   * (one page when it is full enough). `next` continues with `older`; null when there is no more.
   */
  async first(profileId: string, min = 1): Promise<HistoryPage & { total: number }> {
    this.#tail.delete(profileId); // another tab may have appended
    const meta = await this.meta(profileId);
    const entries: HistoryEntry[] = [];
    let next: HistoryCursor | null = meta.pages > 0 ? { profileId, page: meta.pages - 1 } : null;
    while (next && (entries.length < min || entries.length === 0)) {
      const page = await this.older(next);
      entries.push(...page.entries);
      next = page.next;
    }
    return { entries, next, total: meta.count };
  }

  /** The page at `cursor`, newest first, and where the one before it starts: one page read. */
  async older(cursor: HistoryCursor): Promise<HistoryPage> {
    const page = await this.#page(cursor.profileId, cursor.page);
    return {
      entries: page.reverse(),
      next: cursor.page > 0 ? { profileId: cursor.profileId, page: cursor.page - 1 } : null,
    };
  }

  /** Every entry, oldest first (for the support report): the pages are read all at once. */
  async all(profileId: string): Promise<HistoryEntry[]> {
    this.#tail.delete(profileId);
    const meta = await this.meta(profileId);
    const pages = await Promise.all(
      Array.from({ length: meta.pages }, (_, p) => this.#page(profileId, p)),
    );
    return pages.flat();
  }

  /** The newest `limit` entries (or all), newest first. */
  async recent(
    profileId: string,
    limit = Infinity,
  ): Promise<{ entries: HistoryEntry[]; total: number }> {
    if (limit === Infinity) {
      const entries = (await this.all(profileId)).reverse();
      return { entries, total: (await this.meta(profileId)).count };
    }
    const { entries, total } = await this.first(profileId, limit);
    return { entries: entries.slice(0, limit), total };
  }

  async clear(profileId: string): Promise<void> {
    await (await tallies()).forgetTally(this, profileId);
    const meta = await this.meta(profileId);
    for (let p = 0; p < meta.pages; p++) await this.kv.del(pageKey(profileId, p));
    await this.kv.del(metaKey(profileId));
    this.#tail.delete(profileId);
  }
}
