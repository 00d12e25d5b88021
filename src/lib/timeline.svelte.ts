import type { SecretSource, UpstreamExchange } from './api/wire.ts';
import type { HistoryCursor, HistoryStore } from './storage/history.ts';
import type { Profile, ProfileSession } from './storage/index.ts';
// Static: storage/history.ts puts it in the first load anyway, so importing it lazily bought nothing.
import { historyEntryFromCall, type HistoryEntry, type HistoryKind } from './triage/history.ts';
import type { Diagnosis } from './triage/types.ts';
import type { Judged } from './verdict/judge.ts';

/** How many entries a first load reads at least (whole pages: see storage/history.ts). */
export const HISTORY_WINDOW = 100;

export interface TimelineDeps {
  store: () => HistoryStore;
  /** Runs a storage write, reporting (not throwing) a failure; true when it was saved. */
  persist: (what: string, write: () => Promise<void>) => Promise<boolean>;
  /** Tells other tabs that this profile changed. */
  changed: (profileId: string) => void;
  problem: (message: string) => void;
}

/**
 * The active profile's timeline and the one place where calls are recorded and triaged. Entries
 * carry fingerprints, never secrets.
 *
 * `entries` is the loaded part, newest first: the newest pages, then one older page per `more`
 * (read by cursor, so loading the 40th page costs what the 2nd did). `total` counts them all, so a
 * view can size itself for the whole timeline and ask for what comes into sight (`loadTo`).
 */
export class Timeline {
  entries = $state.raw<HistoryEntry[]>([]);
  total = $state(0);
  /** A page is being read. */
  loading = $state(false);
  #cursor: HistoryCursor | null = null;
  /** Bumped by every `load`: a page read for an earlier profile (or load) is dropped. */
  #generation = 0;
  #pending: Promise<void> | null = null;
  /** Whose entries are loaded. */
  #profileId: string | null = null;

  constructor(private readonly deps: TimelineDeps) {}

  /** Everything is loaded: `entries` is the whole timeline. */
  get complete(): boolean {
    return this.#cursor === null;
  }

  /**
   * Reads the newest entries (at least `limit`). Loading the profile already shown again (another
   * tab wrote to it) reads only the newest page or two and puts what is new on top, keeping what
   * was loaded: a reload does not cost the whole prefix again.
   */
  async load(profileId: string, limit = HISTORY_WINDOW): Promise<void> {
    const generation = ++this.#generation;
    this.#pending = null;
    try {
      if (profileId === this.#profileId && (await this.#refresh(profileId, generation))) return;
      const { entries, next, total } = await this.deps.store().first(profileId, limit);
      if (generation !== this.#generation) return;
      this.#profileId = profileId;
      this.entries = entries;
      this.#cursor = next;
      // Once all is read, what was read is the truth (an unreadable entry was skipped).
      this.total = next === null ? entries.length : Math.max(total, entries.length);
    } catch (error) {
      this.deps.problem(`The history could not be read: ${(error as Error).message}`);
    }
  }

  /** Puts entries newer than the loaded ones on top; false when the two cannot be joined. */
  async #refresh(profileId: string, generation: number): Promise<boolean> {
    const newest = this.entries[0]?.id;
    if (newest === undefined) return false;
    const store = this.deps.store();
    const first = await store.first(profileId, 1);
    let fresh = first.entries;
    let at = fresh.findIndex((e) => e.id === newest);
    if (at < 0 && first.next) {
      fresh = [...fresh, ...(await store.older(first.next)).entries];
      at = fresh.findIndex((e) => e.id === newest);
    }
    if (generation !== this.#generation) return true; // a later load takes over
    if (at < 0) return false;
    this.entries = [...fresh.slice(0, at), ...this.entries];
    this.total = this.complete ? this.entries.length : Math.max(first.total, this.entries.length);
    return true;
  }

  /** One older page: one read, whatever is loaded already. */
  more(profileId: string): Promise<void> {
    if (this.#pending) return this.#pending;
    const pending = this.#more(profileId).finally(() => {
      if (this.#pending === pending) this.#pending = null;
    });
    this.#pending = pending;
    return pending;
  }

  async #more(profileId: string): Promise<void> {
    const cursor = this.#cursor;
    if (!cursor || cursor.profileId !== profileId) return;
    const generation = this.#generation;
    this.loading = true;
    try {
      const { entries, next } = await this.deps.store().older(cursor);
      if (generation !== this.#generation) return;
      this.entries = [...this.entries, ...entries];
      this.#cursor = next;
      if (next === null) this.total = this.entries.length;
    } catch (error) {
      this.deps.problem(`The history could not be read: ${(error as Error).message}`);
      this.#cursor = null;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Loads older pages until entry `index` (newest first) is loaded, or there is no more. */
  async loadTo(profileId: string, index: number): Promise<void> {
    while (this.entries.length <= index) {
      const cursor = this.#cursor;
      if (cursor?.profileId !== profileId) return;
      await this.more(profileId);
      if (this.#cursor === cursor) return; // nothing moved: a reload started, or the read failed
    }
  }

  async add(entry: HistoryEntry): Promise<void> {
    this.entries = [entry, ...this.entries];
    this.total += 1;
    const saved = await this.deps.persist('the history', () => this.deps.store().append(entry));
    if (saved) this.deps.changed(entry.profileId);
  }

  /**
   * A call to PandaDoc, already judged: into the timeline, with what the triage makes of it.
   * A verification (the app checking that a replaced token died) is recorded but not triaged:
   * its refusal is the expected answer, not a problem to diagnose.
   */
  async recordCall(
    kind: 'exchange' | 'refresh' | 'verify' | 'check',
    call: Judged<UpstreamExchange & { secretSource?: SecretSource }>,
    session: ProfileSession,
    profile: Profile,
    opts: { note?: string; verification?: boolean } = {},
  ): Promise<Diagnosis[]> {
    // The triage is only needed once a call has been made: kept out of the first load.
    const { diagnoseCall } = await import('./diagnose.ts');
    const diagnoses =
      kind === 'check' || opts.verification
        ? []
        : await diagnoseCall(kind, call, session, profile, this.entries);
    await this.add(
      await historyEntryFromCall(kind, call, {
        id: crypto.randomUUID(),
        profileId: profile.id,
        note: opts.note,
        verification: opts.verification,
      }),
    );
    return diagnoses;
  }

  /** A step that is not a call: an authorize URL built, a code captured or refused. */
  event(
    profile: Profile,
    kind: HistoryKind,
    outcome: 'ok' | 'error',
    errorCode: string | null,
    note: string,
  ): void {
    void this.add({
      id: crypto.randomUUID(),
      profileId: profile.id,
      at: Date.now(),
      kind,
      outcome,
      status: null,
      errorCode,
      grant: null,
      verification: false,
      durationMs: null,
      clientId: profile.clientId,
      fingerprints: {},
      note,
    });
  }
}
