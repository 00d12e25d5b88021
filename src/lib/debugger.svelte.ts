import { fetchConfig } from './api/client.ts';
import type { AppConfig } from './api/wire.ts';
import { environmentInfo, type EnvironmentInfo } from './oauth/environments.ts';
import { Flow } from './state/flow.svelte.ts';
import { Persistence } from './state/persist.svelte.ts';
import { Profiles } from './state/profiles.svelte.ts';
import { Secrets } from './state/secrets.svelte.ts';
import { TabSync } from './state/tabSync.ts';
import { Storage, type Profile, type StorageStatus } from './storage/index.ts';
import { HISTORY_WINDOW, Timeline } from './timeline.svelte.ts';
import { triageAuthorize } from './triage/authorize.ts';
import type { HistoryEntry } from './triage/history.ts';

export { getDebuggerState, setDebuggerState } from './state/context.ts';

/**
 * The app's state, put together from small parts, each with one concern and its own tests:
 * `profiles` (state/profiles), `secrets` typed in this tab (state/secrets), the active profile's
 * `flow` through the steps (state/flow), its `timeline`, and `tabs` keeping open tabs in step
 * (state/tabSync). This class wires them and keeps the names the components read.
 */
export class DebuggerState {
  config = $state.raw<AppConfig | null>(null);
  storageStatus = $state.raw<StorageStatus>({ persistent: true });
  problems = $state<string[]>([]);
  ready = $state(false);
  loadError = $state<string | null>(null);

  readonly persistence = new Persistence();
  readonly tabs = new TabSync();
  readonly profilesState = new Profiles(() => this.storage, this.persistence, this.tabs);
  readonly secrets = new Secrets(() => this.storage, this.persistence);
  /** The active profile's timeline: see timeline.svelte.ts. */
  readonly timeline = new Timeline({
    store: () => this.storage.history,
    persist: (what, write) => this.persistence.run(what, write),
    changed: (profileId) => this.tabs.sessionChanged(profileId),
    problem: (message) => this.problems.push(message),
  });
  readonly flow = new Flow({
    storage: () => this.storage,
    persist: this.persistence,
    tabs: this.tabs,
    timeline: this.timeline,
    activeId: () => this.activeId,
    profile: () => this.profile,
    environment: () => this.environment,
    secret: () => this.typedSecret,
    profileIds: () => this.profiles.map((p) => p.id),
    selectProfile: (id) => this.selectProfile(id),
  });

  #storage: Storage | null = null;

  constructor(private readonly open: () => Promise<[AppConfig, Storage]> = openApp) {}

  get storage(): Storage {
    if (!this.#storage) throw new Error('DebuggerState.init() has not finished');
    return this.#storage;
  }

  // The names the components read, each from the part that owns it.
  get profiles(): Profile[] {
    return this.profilesState.list;
  }
  get activeId(): string | null {
    return this.profilesState.activeId;
  }
  get profile(): Profile | null {
    return this.profilesState.active;
  }
  get session() {
    return this.flow.session;
  }
  get callbackResult() {
    return this.flow.callbackResult;
  }
  get tokenFormat() {
    return this.flow.tokenFormat;
  }
  set tokenFormat(format) {
    this.flow.tokenFormat = format;
  }
  get drillSecret(): string | null {
    return this.secrets.drill;
  }
  set drillSecret(secret: string | null) {
    this.secrets.drill = secret;
  }
  /** The client_secret the token calls send ('' = let the server use the one it holds). */
  get typedSecret(): string {
    return this.secrets.sent(this.activeId);
  }
  /** The last storage write that failed: the app goes on in memory and says so. */
  get storageError(): string | null {
    return this.persistence.error;
  }
  /** Newest first; the loaded part of the timeline. */
  get history(): HistoryEntry[] {
    return this.timeline.entries;
  }
  get historyTotal(): number {
    return this.timeline.total;
  }

  environment = $derived.by((): EnvironmentInfo | null =>
    this.profile && this.config
      ? environmentInfo(this.profile.environment, this.config.origin)
      : null,
  );
  serverHoldsSecret = $derived(
    Boolean(this.profile && this.config?.serverSecrets[this.profile.environment]),
  );
  /**
   * What PandaDoc would answer with an error page (and no redirect) for this profile's authorize
   * request: said before the user goes. Shown by step 2 and checked by the drills.
   */
  authorizePreflight = $derived(
    this.profile
      ? triageAuthorize({
          redirectUri: this.profile.redirectUri,
          scope: this.profile.scope,
          registeredRedirectUri: this.config?.registeredRedirectUris[this.profile.environment],
        })
      : [],
  );

  async init(): Promise<void> {
    try {
      const [config, storage] = await this.open();
      this.config = config;
      this.#storage = storage;
      this.storageStatus = storage.status;
      await this.selectProfile(await this.profilesState.load(config));
      this.problems = [...storage.problems, ...storage.history.problems];
      this.tabs.start({
        profilesChanged: async () => {
          await this.profilesState.reread();
          const first = this.profiles[0];
          if (!this.profiles.some((p) => p.id === this.activeId) && first)
            await this.selectProfile(first.id);
        },
        sessionChanged: async (profileId) => {
          if (profileId !== this.activeId) return;
          await this.flow.load(profileId);
          await this.timeline.load(profileId, Math.max(this.history.length, HISTORY_WINDOW));
        },
      });
      this.ready = true;
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
    }
  }

  async selectProfile(id: string): Promise<void> {
    this.profilesState.activeId = id;
    await this.flow.load(id);
    await this.timeline.load(id);
    const profile = this.profiles.find((p) => p.id === id);
    if (profile) await this.secrets.load(profile);
    await this.storage.saveActiveProfileId(id);
  }

  saveProfiles(): Promise<void> {
    return this.profilesState.save();
  }

  async updateProfile(patch: Partial<Omit<Profile, 'id' | 'createdAt'>>): Promise<void> {
    const profile = this.profile;
    if (!profile) return;
    await this.profilesState.update(patch);
    if (patch.rememberSecret !== undefined)
      await this.secrets.remember(profile, patch.rememberSecret);
  }

  async setSecret(secret: string): Promise<void> {
    if (this.profile) await this.secrets.set(this.profile, secret);
  }

  async addProfile(name: string): Promise<void> {
    const profile = await this.profilesState.add(
      name,
      `${this.config?.origin ?? location.origin}/callback`,
    );
    await this.selectProfile(profile.id);
  }

  /** "Check any token": keep a checked token, by request only, in a profile of its own. */
  addCheckedTokenProfile(environment: Profile['environment'], accessToken: string): Promise<void> {
    return this.profilesState.addCheckedToken(
      environment,
      accessToken,
      this.config?.simulator.redirectUri ?? `${location.origin}/callback`,
    );
  }

  /** Wipes everything the profile had: session, tokens, remembered secret, typed secret. */
  async forgetProfile(id: string): Promise<void> {
    this.secrets.forget(id);
    await this.selectProfile(await this.profilesState.remove(id, this.config));
  }

  /** Every raw secret this profile holds: what a report or export must never contain. */
  secretValues(): string[] {
    return this.flow.secretValues();
  }

  patchSession(patch: Parameters<Flow['patch']>[0]): Promise<void> {
    return this.flow.patch(patch);
  }

  loadMoreHistory(): Promise<void> {
    return this.timeline.more(this.activeId!);
  }

  // The steps' actions live in state/flow.svelte.ts.
  startAuthorization: Flow['startAuthorization'] = (...a) => this.flow.startAuthorization(...a);
  captureCallback: Flow['captureCallback'] = (...a) => this.flow.captureCallback(...a);
  acceptPasted: Flow['acceptPasted'] = (...a) => this.flow.acceptPasted(...a);
  recordExchange: Flow['recordExchange'] = (...a) => this.flow.recordExchange(...a);
  recordVerify: Flow['recordVerify'] = (...a) => this.flow.recordVerify(...a);
  recordCheck: Flow['recordCheck'] = (...a) => this.flow.recordCheck(...a);
  recordOldPairCheck: Flow['recordOldPairCheck'] = (...a) => this.flow.recordOldPairCheck(...a);
  recordRotationCheck: Flow['recordRotationCheck'] = (...a) => this.flow.recordRotationCheck(...a);
  refreshTokens: Flow['refreshTokens'] = (...a) => this.flow.refreshTokens(...a);
  recordRace: Flow['recordRace'] = (...a) => this.flow.recordRace(...a);
}

function openApp(): Promise<[AppConfig, Storage]> {
  return Promise.all([fetchConfig(), Storage.open()]);
}
