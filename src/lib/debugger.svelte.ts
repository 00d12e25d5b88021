import { getContext, setContext } from 'svelte';
import { fetchConfig } from './api/client.ts';
import type { AppConfig, TokenCallResult, UpstreamExchange } from './api/wire.ts';
import { processTokenCall, refreshTokenRequest } from './grants.ts';
import { buildAuthorizeUrl, type ExplainedParam } from './oauth/authorizeUrl.ts';
import { type CallbackResult, parseCallbackInput } from './oauth/callback.ts';
import { environmentInfo, type EnvironmentInfo } from './oauth/environments.ts';
import { codeChallengeS256, createCodeVerifier, createState } from './oauth/pkce.ts';
import type { TokenSet } from './oauth/tokenResponse.ts';
import { coordinatedRefresh, type RefreshOutcome } from './refresh.ts';
import type { HistoryEntry, HistoryKind } from './triage/history.ts';
import type { Diagnosis } from './triage/types.ts';
import { triageAuthorize } from './triage/authorize.ts';
import { HISTORY_WINDOW, Timeline } from './timeline.svelte.ts';
import {
  emptySession,
  type Profile,
  type ProfileSession,
  Storage,
  type StorageStatus,
} from './storage/index.ts';
import { TabChannel, webLock, type TabMessage } from './tabs.ts';
import type { Judged } from './verdict/judge.ts';

/**
 * The app's state: profiles, the active profile's walk through the flow, and the secrets typed
 * this session (memory only, unless the user asks to remember one). Every change that matters
 * is written to storage straight away, so a reload at any step loses nothing.
 */
export class DebuggerState {
  config = $state.raw<AppConfig | null>(null);
  profiles = $state<Profile[]>([]);
  activeId = $state<string | null>(null);
  session = $state<ProfileSession>(emptySession());
  /** Secrets typed in this tab, by profile id. Never persisted unless remembered (sealed). */
  secrets = $state<Record<string, string>>({});
  callbackResult = $state.raw<CallbackResult | null>(null);
  storageStatus = $state.raw<StorageStatus>({ persistent: true });
  problems = $state<string[]>([]);
  ready = $state(false);
  /** The active profile's timeline: see timeline.svelte.ts. */
  readonly timeline = new Timeline({
    store: () => this.storage.history,
    persist: (what, write) => this.#persist(what, write),
    changed: (profileId) => this.#tabs?.post({ type: 'session', profileId }),
    problem: (message) => this.problems.push(message),
  });
  /** Newest first; a window of the timeline (see loadMoreHistory). */
  get history(): HistoryEntry[] {
    return this.timeline.entries;
  }
  get historyTotal(): number {
    return this.timeline.total;
  }
  /** How token requests are encoded; 'json' only while the JSON-body drill runs. */
  tokenFormat = $state<'form' | 'json'>('form');
  /** The last storage write that failed: the app goes on in memory and says so. */
  storageError = $state<string | null>(null);
  loadError = $state<string | null>(null);

  profile = $derived(this.profiles.find((p) => p.id === this.activeId) ?? null);
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
  /** A failure drill's stand-in secret (wrong-secret drill): sent instead, never stored. */
  drillSecret = $state<string | null>(null);
  /** The client_secret the token calls send ('' = let the server use the one it holds). */
  typedSecret = $derived(
    this.drillSecret ?? (this.activeId ? (this.secrets[this.activeId] ?? '') : ''),
  );

  #storage: Storage | null = null;
  #tabs: TabChannel | null = null;

  get storage(): Storage {
    if (!this.#storage) throw new Error('DebuggerState.init() has not finished');
    return this.#storage;
  }

  async init(): Promise<void> {
    try {
      const [config, storage] = await Promise.all([fetchConfig(), Storage.open()]);
      this.config = config;
      this.#storage = storage;
      this.storageStatus = storage.status;
      let profiles = await storage.loadProfiles();
      if (profiles.length === 0) {
        profiles = [this.#simulatorProfile(config)];
        await storage.saveProfiles(profiles);
      }
      this.profiles = profiles;
      const active = await storage.loadActiveProfileId();
      await this.selectProfile(profiles.some((p) => p.id === active) ? active! : profiles[0].id);
      this.problems = [...storage.problems, ...storage.history.problems];
      this.#tabs = new TabChannel((m) => void this.#onTabMessage(m));
      this.ready = true;
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
    }
  }

  #simulatorProfile(config: AppConfig): Profile {
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

  async selectProfile(id: string): Promise<void> {
    this.activeId = id;
    this.callbackResult = null;
    this.session = await this.storage.loadSession(id);
    await this.timeline.load(id);
    const profile = this.profiles.find((p) => p.id === id);
    if (this.secrets[id] === undefined) {
      // Typed in this tab before a page load (the consent screen trip), else remembered.
      const secret =
        (await this.storage.tabSecrets.load(id)) ??
        (profile?.rememberSecret ? await this.storage.loadSecret(id) : null);
      if (secret) this.secrets[id] = secret;
    }
    await this.storage.saveActiveProfileId(id);
  }

  /** Another tab changed something: re-read it from storage (the channel carries no data). */
  async #onTabMessage(message: TabMessage): Promise<void> {
    if (message.type === 'profiles') {
      this.profiles = await this.storage.loadProfiles();
      if (!this.profiles.some((p) => p.id === this.activeId) && this.profiles[0]) {
        await this.selectProfile(this.profiles[0].id);
      }
    } else if (message.profileId === this.activeId) {
      this.session = await this.storage.loadSession(message.profileId);
      await this.timeline.load(message.profileId, Math.max(this.history.length, HISTORY_WINDOW));
    }
  }

  /** Runs a storage write; a failure (quota, blocked) is reported, never thrown at the user. */
  async #persist(what: string, write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      this.storageError = null;
      return true;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.storageError = `Could not save ${what} on this device (${why}). It is kept in this tab until you close it.`;
      return false;
    }
  }

  async saveProfiles(): Promise<void> {
    const saved = await this.#persist('profiles', () =>
      this.storage.saveProfiles($state.snapshot(this.profiles)),
    );
    if (saved) this.#tabs?.post({ type: 'profiles' });
  }

  async updateProfile(patch: Partial<Omit<Profile, 'id' | 'createdAt'>>): Promise<void> {
    const profile = this.profile;
    if (!profile) return;
    Object.assign(profile, patch);
    await this.saveProfiles();
    if (patch.rememberSecret === false) await this.storage.deleteSecret(profile.id);
    if (patch.rememberSecret === true && this.typedSecret) {
      await this.storage.saveSecret(profile.id, this.typedSecret);
    }
  }

  async setSecret(secret: string): Promise<void> {
    const profile = this.profile;
    if (!profile) return;
    this.secrets[profile.id] = secret;
    await this.#persist('the secret for this tab', () =>
      this.storage.tabSecrets.save(profile.id, secret),
    );
    if (profile.rememberSecret) {
      if (secret) await this.storage.saveSecret(profile.id, secret);
      else await this.storage.deleteSecret(profile.id);
    }
  }

  async addProfile(name: string): Promise<void> {
    const base = this.profile;
    const profile: Profile = {
      id: crypto.randomUUID(),
      name: name.trim() || `Profile ${this.profiles.length + 1}`,
      environment: base?.environment ?? 'simulator',
      clientId: base?.clientId ?? '',
      redirectUri: base?.redirectUri ?? `${location.origin}/callback`,
      scope: base?.scope ?? 'read+write',
      rememberSecret: false,
      autoRefresh: false,
      createdAt: Date.now(),
    };
    this.profiles.push(profile);
    await this.saveProfiles();
    await this.selectProfile(profile.id);
  }

  /** Every raw secret this profile holds: what a report or export must never contain. */
  secretValues(): string[] {
    const s = this.session;
    const values = [
      this.typedSecret,
      s.code?.value,
      s.code?.state,
      s.pending?.codeVerifier,
      s.pending?.state,
      s.tokens?.accessToken,
      s.tokens?.refreshToken,
      s.rotation?.previous.accessToken,
      s.rotation?.previous.refreshToken,
    ];
    return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
  }

  /** "Check any token": keep a checked token, by request only, in a profile of its own. */
  async addCheckedTokenProfile(
    environment: Profile['environment'],
    accessToken: string,
  ): Promise<void> {
    const id = crypto.randomUUID();
    const now = Date.now();
    this.profiles.push({
      id,
      name: `Checked token …${accessToken.slice(-4)}`,
      environment,
      clientId: '',
      redirectUri: this.config?.simulator.redirectUri ?? `${location.origin}/callback`,
      scope: 'read+write',
      rememberSecret: false,
      autoRefresh: false,
      createdAt: now,
    });
    await this.saveProfiles();
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
    await this.#persist('the token', () => this.storage.saveSession(id, session));
  }

  /** Wipes everything the profile had: session, tokens, remembered secret, typed secret. */
  async forgetProfile(id: string): Promise<void> {
    await this.storage.forgetProfile(id);
    delete this.secrets[id];
    this.profiles = this.profiles.filter((p) => p.id !== id);
    if (this.profiles.length === 0 && this.config)
      this.profiles = [this.#simulatorProfile(this.config)];
    await this.saveProfiles();
    await this.selectProfile(this.profiles[0].id);
  }

  async #saveSession(): Promise<void> {
    const id = this.activeId;
    if (!id) return;
    const saved = await this.#persist('this step', () =>
      this.storage.saveSession(id, $state.snapshot(this.session)),
    );
    if (saved) this.#tabs?.post({ type: 'session', profileId: id });
  }

  async patchSession(patch: Partial<ProfileSession>): Promise<void> {
    Object.assign(this.session, patch);
    await this.#saveSession();
  }

  loadMoreHistory(): Promise<void> {
    return this.timeline.more(this.activeId!);
  }

  /** Everything for the support report: the whole timeline, oldest first. */
  fullHistory(): Promise<HistoryEntry[]> {
    return this.timeline.all(this.activeId!);
  }

  #recordCall(
    kind: 'exchange' | 'refresh' | 'verify' | 'check',
    call: Judged<UpstreamExchange & { secretSource?: TokenCallResult['secretSource'] }>,
    opts: { note?: string; verification?: boolean } = {},
  ): Promise<Diagnosis[]> {
    return this.timeline.recordCall(kind, call, this.session, this.profile!, opts);
  }

  #event(kind: HistoryKind, outcome: 'ok' | 'error', errorCode: string | null, note: string) {
    this.timeline.event(this.profile!, kind, outcome, errorCode, note);
  }

  /** Step 2: a fresh state and PKCE verifier, remembered as the pending authorization. */
  async startAuthorization(): Promise<{ url: string; params: ExplainedParam[] }> {
    const profile = this.profile;
    const env = this.environment;
    if (!profile || !env) throw new Error('No profile selected');
    const state = createState();
    const codeVerifier = createCodeVerifier();
    const built = buildAuthorizeUrl({
      authorizeEndpoint: env.authorizeEndpoint,
      clientId: profile.clientId,
      redirectUri: profile.redirectUri,
      scope: profile.scope,
      state,
      codeChallenge: await codeChallengeS256(codeVerifier),
    });
    await this.patchSession({
      pending: {
        profileId: profile.id,
        state,
        codeVerifier,
        clientId: profile.clientId,
        redirectUri: profile.redirectUri,
        authorizeUrl: built.url,
        createdAt: Date.now(),
      },
    });
    this.#event('authorize', 'ok', null, `authorize URL built (scope ${profile.scope})`);
    return built;
  }

  /** Step 3 via /callback: find the authorization this answers (any profile), then check it. */
  async captureCallback(query: string): Promise<void> {
    // A one-off read, not reactive state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const state = new URLSearchParams(query).get('state');
    const pending = await this.storage.findPending(
      state,
      this.profiles.map((p) => p.id),
    );
    if (pending && pending.profileId !== this.activeId) await this.selectProfile(pending.profileId);
    this.#acceptResult(parseCallbackInput(query, pending), 'callback');
  }

  /** Step 3 by hand: a pasted bare code, query string or whole redirect URL. */
  acceptPasted(input: string): void {
    this.#acceptResult(parseCallbackInput(input, this.session.pending), 'paste');
  }

  #acceptResult(result: CallbackResult, source: 'callback' | 'paste'): void {
    this.callbackResult = result;
    const via = source === 'callback' ? 'redirect to /callback' : 'pasted';
    if (!result.ok) {
      this.#event('callback', 'error', result.code, `${via}: ${result.message}`);
      // A Deny (or another authorize error) answers the authorization that carried its state:
      // it is over, so step 2 no longer waits for a redirect.
      const pending = this.session.pending;
      if (pending && result.state !== undefined && result.state === pending.state) {
        void this.patchSession({ pending: null });
      }
      return;
    }
    const pending = this.session.pending;
    const matched = result.stateCheck === 'matched' && pending;
    this.#event(
      'callback',
      'ok',
      null,
      `code captured (${via}, state ${result.stateCheck === 'matched' ? 'matched' : 'not checked'})`,
    );
    void this.patchSession({
      code: {
        value: result.code,
        state: result.state,
        capturedAt: Date.now(),
        source,
        exchangedAt: null,
        // What the triage needs to tell "too old" and "another app's code" apart later.
        ...(matched
          ? {
              authorize: {
                at: pending.createdAt,
                clientId: pending.clientId,
                redirectUri: pending.redirectUri,
              },
            }
          : {}),
      },
      // A state is good for one answer: once matched, the pending authorization is spent.
      pending: result.stateCheck === 'matched' ? null : this.session.pending,
    });
  }

  async recordExchange(call: Judged<TokenCallResult>): Promise<void> {
    const tokens = processTokenCall(call);
    const diagnoses = await this.#recordCall('exchange', call);
    // Only an answer moves the code's state: a token pair proves it spent (the first such
    // answer keeps its time), invalid_grant that PandaDoc refuses it. No answer, a 5xx or an
    // error PandaDoc gives before reading the code (invalid_client) leaves it as it was.
    const old = this.session.code;
    const grant = call.verdict.grant;
    const code = old
      ? {
          ...old,
          exchangedAt: old.exchangedAt ?? (grant === 'spent' ? call.startedAt : null),
          refusedAt:
            grant === 'rejected' ? (old.refusedAt ?? call.startedAt) : (old.refusedAt ?? null),
        }
      : null;
    await this.patchSession({
      exchange: call,
      code,
      triage: { ...this.session.triage, exchange: diagnoses },
      ...(tokens ? { tokens, verify: null, refresh: null, rotation: null } : {}),
    });
  }

  async recordVerify(call: Judged<UpstreamExchange>): Promise<void> {
    const diagnoses = await this.#recordCall('verify', call);
    await this.patchSession({
      verify: call,
      triage: { ...this.session.triage, verify: diagnoses },
    });
  }

  /** "Check any token": into the timeline (fingerprint only), nothing else kept. */
  async recordCheck(call: Judged<UpstreamExchange>): Promise<void> {
    await this.#recordCall('check', call, { note: 'token checked by hand' });
  }

  /** The calls made to prove the old pair is dead after a rotation: verifications, not failures. */
  async recordOldPairCheck(
    kind: 'verify' | 'refresh',
    call: Judged<UpstreamExchange>,
  ): Promise<void> {
    await this.#recordCall(kind, call, {
      note: 'trying the pair a refresh replaced',
      verification: true,
    });
  }

  /**
   * Step 7, serialized across tabs: see refresh.ts. `refreshToken` is the token this tab means to
   * send; if another tab already spent it, that tab's new pair is adopted and nothing is sent.
   */
  async refreshTokens(refreshToken: string): Promise<RefreshOutcome> {
    const profile = this.profile!;
    const clientSecret = this.typedSecret;
    const outcome = await coordinatedRefresh(
      profile.id,
      refreshToken,
      {
        lock: webLock,
        loadSession: (id) => this.storage.loadSession(id),
        saveSession: (id, session) => this.storage.saveSession(id, session),
        send: (token) =>
          refreshTokenRequest(
            { environment: profile.environment, clientId: profile.clientId, clientSecret },
            token,
          ),
      },
      $state.snapshot(this.session),
    );
    if (this.activeId === profile.id) this.session = outcome.session;
    if (outcome.kind !== 'adopted' && outcome.session.refresh) {
      const diagnoses = await this.#recordCall('refresh', outcome.session.refresh);
      if (this.activeId === profile.id)
        this.session.triage = { ...this.session.triage, refresh: diagnoses };
      if (outcome.saved) await this.#saveSession();
    }
    if (outcome.kind !== 'adopted' && outcome.saved) {
      this.#tabs?.post({ type: 'session', profileId: profile.id });
    }
    if (outcome.kind === 'refreshed' && !outcome.saved) {
      this.storageError = `The new tokens could not be saved on this device (${outcome.saveError}).`;
    }
    return outcome;
  }

  /**
   * The refresh-race drill: two workers sent the same refresh token. The winner's pair is kept
   * (it is the only live one); step 7 shows the loser's call, which is what the drill is about.
   */
  async recordRace(calls: Judged<TokenCallResult>[]): Promise<void> {
    const previous = this.session.tokens;
    let fresh: TokenSet | null = null;
    let loser: Judged<TokenCallResult> | null = null;
    let loserDiagnoses: Diagnosis[] = [];
    for (const call of calls) {
      const diagnoses = await this.#recordCall('refresh', call, { note: 'refresh race drill' });
      const tokens = processTokenCall(call);
      if (tokens) fresh = tokens;
      else [loser, loserDiagnoses] = [call, diagnoses];
    }
    await this.patchSession({
      ...(fresh && previous
        ? {
            tokens: fresh,
            verify: null,
            rotation: { at: Date.now(), previous, oldAccessStatus: null, oldRefreshError: null },
          }
        : {}),
      refresh: loser ?? calls.at(-1) ?? null,
      triage: { ...this.session.triage, refresh: loserDiagnoses },
    });
  }

  async recordRotationCheck(check: {
    oldAccessStatus: number | null;
    oldRefreshError: string | null;
  }) {
    if (this.session.rotation)
      await this.patchSession({ rotation: { ...this.session.rotation, ...check } });
  }
}

const KEY = Symbol('DebuggerState');

export function setDebuggerState(state: DebuggerState): DebuggerState {
  return setContext(KEY, state);
}

export function getDebuggerState(): DebuggerState {
  const state = getContext<DebuggerState | undefined>(KEY);
  if (!state) throw new Error('getDebuggerState() needs an <App> (setDebuggerState) above it');
  return state;
}
