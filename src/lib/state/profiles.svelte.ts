import type { AppConfig } from '../api/wire.ts';
import type { EnvironmentId } from '../oauth/environments.ts';
import { emptySession, type Profile, type Storage } from '../storage/index.ts';
import type { Persistence } from './persist.svelte.ts';
import type { TabSync } from './tabSync.ts';

/** The profile every fresh install starts with: the built-in simulator's demo app. */
export function simulatorProfile(config: AppConfig): Profile {
  return {
    id: crypto.randomUUID(),
    name: 'Simulator demo',
    environment: 'simulator',
    clientId: config.simulator.clientId,
    redirectUri: config.simulator.redirectUri,
    scope: 'read+write',
    rememberSecret: false,
    autoRefresh: false,
    createdAt: Date.now(),
  };
}

/** The profiles (nothing secret in them) and which one is active. Saved on every change. */
export class Profiles {
  list = $state<Profile[]>([]);
  activeId = $state<string | null>(null);
  active = $derived(this.list.find((p) => p.id === this.activeId) ?? null);

  constructor(
    private readonly storage: () => Storage,
    private readonly persist: Persistence,
    private readonly tabs: TabSync,
  ) {}

  /** Reads the stored profiles (a fresh install gets the simulator's); returns the one to open. */
  async load(config: AppConfig): Promise<string> {
    const storage = this.storage();
    let list = await storage.loadProfiles();
    if (list.length === 0) {
      list = [simulatorProfile(config)];
      await storage.saveProfiles(list);
    }
    this.list = list;
    const active = await storage.loadActiveProfileId();
    return list.some((p) => p.id === active) ? active! : list[0]!.id;
  }

  /** Another tab changed the list. */
  async reread(): Promise<void> {
    this.list = await this.storage().loadProfiles();
  }

  async save(): Promise<void> {
    const saved = await this.persist.run('profiles', () =>
      this.storage().saveProfiles($state.snapshot(this.list)),
    );
    if (saved) this.tabs.profilesChanged();
  }

  async update(patch: Partial<Omit<Profile, 'id' | 'createdAt'>>): Promise<void> {
    const profile = this.active;
    if (!profile) return;
    Object.assign(profile, patch);
    await this.save();
  }

  /** A new profile, copying the active one's client and environment. */
  async add(name: string, fallbackRedirectUri: string): Promise<Profile> {
    const base = this.active;
    const profile: Profile = {
      id: crypto.randomUUID(),
      name: name.trim() || `Profile ${this.list.length + 1}`,
      environment: base?.environment ?? 'simulator',
      clientId: base?.clientId ?? '',
      redirectUri: base?.redirectUri ?? fallbackRedirectUri,
      scope: base?.scope ?? 'read+write',
      rememberSecret: false,
      autoRefresh: false,
      createdAt: Date.now(),
    };
    this.list.push(profile);
    await this.save();
    return profile;
  }

  /** "Check any token": keep a checked token, by request only, in a profile of its own. */
  async addCheckedToken(
    environment: EnvironmentId,
    accessToken: string,
    redirectUri: string,
  ): Promise<void> {
    const id = crypto.randomUUID();
    const now = Date.now();
    this.list.push({
      id,
      name: `Checked token …${accessToken.slice(-4)}`,
      environment,
      clientId: '',
      redirectUri,
      scope: 'read+write',
      rememberSecret: false,
      autoRefresh: false,
      createdAt: now,
    });
    await this.save();
    const session = emptySession();
    session.tokens = {
      accessToken,
      refreshToken: null,
      tokenType: 'Bearer',
      expiresIn: null,
      scope: null,
      receivedAt: now,
      expiresAt: null,
      extra: {},
    };
    await this.persist.run('the token', () => this.storage().saveSession(id, session));
  }

  /** Drops a profile and all it stored; returns the profile to open next. */
  async remove(id: string, config: AppConfig | null): Promise<string> {
    await this.storage().forgetProfile(id);
    this.list = this.list.filter((p) => p.id !== id);
    if (this.list.length === 0 && config) this.list = [simulatorProfile(config)];
    await this.save();
    return this.list[0]!.id;
  }
}
