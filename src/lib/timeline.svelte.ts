import type { SecretSource, UpstreamExchange } from './api/wire.ts';
import type { HistoryStore } from './storage/history.ts';
import type { Profile, ProfileSession } from './storage/index.ts';
import type { HistoryEntry, HistoryKind } from './triage/history.ts';
import type { Diagnosis } from './triage/types.ts';
import type { Judged } from './verdict/judge.ts';

/** How many entries the History panel shows at a time. */
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
 * The active profile's timeline (newest first, a window of it) and the one place where calls are
 * recorded and triaged. Entries carry fingerprints, never secrets.
 */
export class Timeline {
  entries = $state.raw<HistoryEntry[]>([]);
  total = $state(0);

  constructor(private readonly deps: TimelineDeps) {}

  async load(profileId: string, limit = HISTORY_WINDOW): Promise<void> {
    try {
      const { entries, total } = await this.deps.store().recent(profileId, limit);
      this.entries = entries;
      this.total = total;
    } catch (error) {
      this.deps.problem(`The history could not be read: ${(error as Error).message}`);
    }
  }

  more(profileId: string): Promise<void> {
    return this.load(profileId, this.entries.length + HISTORY_WINDOW);
  }

  /** The whole timeline, oldest first: for the support report. */
  async all(profileId: string): Promise<HistoryEntry[]> {
    return (await this.deps.store().recent(profileId)).entries.reverse();
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
    const [{ diagnoseCall }, { historyEntryFromCall }] = await Promise.all([
      import('./diagnose.ts'),
      import('./triage/history.ts'),
    ]);
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
