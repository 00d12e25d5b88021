import type { PendingAuthorization } from '../oauth/callback.ts';
import { type KeyValue, openKeyValue, type StorageStatus } from './kv.ts';
import {
  emptySession,
  isVersioned,
  type Profile,
  type ProfileSession,
  SCHEMA_VERSION,
  toProfile,
  toSession,
  needsJudging,
} from './records.ts';
import { HistoryStore } from './history.ts';
import { isSealed, Sealer } from './sealed.ts';
import { TabSecrets, type TabStore } from './tabSecrets.ts';

export type { Profile, ProfileSession, CapturedCode, Rotation } from './records.ts';
export { emptySession } from './records.ts';

export interface DrillRecord {
  id: string;
  profileId: string;
  /** Profile fields the drill changed, as they were (redirect URI, scope: nothing secret). */
  restore: Partial<Pick<Profile, 'redirectUri' | 'scope'>>;
  jsonBody: boolean;
}
export type { StorageStatus } from './kv.ts';

/**
 * The only module that touches IndexedDB. Profiles are stored as they are (nothing secret in
 * them); sessions and remembered secrets are sealed. Every record carries a schema version; a
 * record that can't be read is reported in `problems` and skipped, never allowed to take the
 * rest down with it.
 */
export class Storage {
  readonly problems: string[] = [];
  readonly #sealer: Sealer;
  /** Each profile's timeline: fingerprints only, so not sealed. */
  readonly history: HistoryStore;
  /** Secrets typed in this tab, sealed in its sessionStorage: they survive the consent trip. */
  readonly tabSecrets: TabSecrets;
  constructor(
    private readonly kv: KeyValue,
    tabStore?: TabStore | null,
  ) {
    this.#sealer = new Sealer(kv);
    this.history = new HistoryStore(kv);
    this.tabSecrets = new TabSecrets(this.#sealer, tabStore);
  }

  static async open(): Promise<Storage> {
    return new Storage(await openKeyValue());
  }

  get status(): StorageStatus {
    return this.kv.status;
  }

  #problem(what: string, error?: unknown) {
    const why = error instanceof Error ? `: ${error.message}` : '';
    this.problems.push(`${what}${why}`);
  }

  async #write(key: string, value: unknown): Promise<void> {
    await this.kv.set(key, { v: SCHEMA_VERSION, data: value });
  }

  async #read(key: string): Promise<unknown> {
    const record = await this.kv.get(key);
    if (record === undefined) return undefined;
    if (!isVersioned(record) || record.v > SCHEMA_VERSION) {
      this.#problem(`Skipped stored record "${key}": unknown format or newer version`);
      return undefined;
    }
    return record.data;
  }

  async loadProfiles(): Promise<Profile[]> {
    const data = await this.#read('profiles');
    if (data === undefined) return [];
    if (!Array.isArray(data)) {
      this.#problem('Stored profile list was unreadable and was skipped');
      return [];
    }
    const good = data.map(toProfile).filter((p): p is Profile => p !== null);
    if (good.length < data.length) {
      this.#problem(
        `${data.length - good.length} stored profile(s) were unreadable and were skipped`,
      );
    }
    return good;
  }

  saveProfiles(profiles: Profile[]): Promise<void> {
    return this.#write(
      'profiles',
      profiles.map((p) => ({ ...p })),
    );
  }

  async loadActiveProfileId(): Promise<string | null> {
    const id = await this.#read('active-profile');
    return typeof id === 'string' ? id : null;
  }

  saveActiveProfileId(id: string): Promise<void> {
    return this.#write('active-profile', id);
  }

  async #openSealed(key: string): Promise<unknown> {
    const data = await this.#read(key);
    if (data === undefined) return undefined;
    if (!isSealed(data)) {
      this.#problem(`Stored record "${key}" is not sealed and was skipped`);
      return undefined;
    }
    try {
      return await this.#sealer.open(data);
    } catch (error) {
      this.#problem(`Stored record "${key}" could not be decrypted and was skipped`, error);
      return undefined;
    }
  }

  async loadSession(profileId: string): Promise<ProfileSession> {
    const data = await this.#openSealed(`session:${profileId}`);
    if (data === undefined) return emptySession();
    // Schema-1 records need the classifier; loaded only then, so it stays out of the first load.
    const judge = needsJudging(data) ? (await import('../verdict/judge.ts')).judge : null;
    const session = toSession(data, judge);
    if (!session) this.#problem(`Stored session of profile ${profileId} was unreadable`);
    return session ?? emptySession();
  }

  async saveSession(profileId: string, session: ProfileSession): Promise<void> {
    await this.#write(`session:${profileId}`, await this.#sealer.seal(session));
  }

  /** The pending authorization whose state matches, else the newest one, across all profiles. */
  async findPending(
    state: string | null,
    profileIds: string[],
  ): Promise<PendingAuthorization | null> {
    const pendings: PendingAuthorization[] = [];
    for (const id of profileIds) {
      const p = (await this.loadSession(id)).pending;
      if (p) pendings.push(p);
    }
    return (
      pendings.find((p) => state !== null && p.state === state) ??
      pendings.sort((a, b) => b.createdAt - a.createdAt)[0] ??
      null
    );
  }

  async loadSecret(profileId: string): Promise<string | null> {
    const data = await this.#openSealed(`secret:${profileId}`);
    return typeof data === 'string' ? data : null;
  }

  async saveSecret(profileId: string, secret: string): Promise<void> {
    await this.#write(`secret:${profileId}`, await this.#sealer.seal(secret));
  }

  deleteSecret(profileId: string): Promise<void> {
    return this.kv.del(`secret:${profileId}`);
  }

  /** The failure drill under way, if any: survives the trip to the consent screen. Not secret. */
  async loadDrill(): Promise<DrillRecord | null> {
    const data = (await this.#read('drill')) as DrillRecord | undefined;
    return data && typeof data.id === 'string' && typeof data.restore === 'object' ? data : null;
  }

  async saveDrill(drill: DrillRecord | null): Promise<void> {
    if (drill) await this.#write('drill', drill);
    else await this.kv.del('drill');
  }

  /** Everything the profile had: its session, its remembered secret. */
  async forgetProfile(profileId: string): Promise<void> {
    this.tabSecrets.forget(profileId);
    await this.kv.del(`session:${profileId}`);
    await this.kv.del(`secret:${profileId}`);
    await this.history.clear(profileId);
  }
}
