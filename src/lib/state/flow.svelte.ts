import type { SecretSource, TokenCallResult, UpstreamExchange } from '../api/wire.ts';
import type { TokenFormat } from '../grants.ts';
import { buildAuthorizeUrl, type ExplainedParam } from '../oauth/authorizeUrl.ts';
import { type CallbackResult, parseCallbackInput } from '../oauth/callback.ts';
import type { EnvironmentInfo } from '../oauth/environments.ts';
import { codeChallengeS256, createCodeVerifier, createState } from '../oauth/pkce.ts';
import type { TokenSet } from '../oauth/tokenResponse.ts';
import type { RefreshOutcome } from '../refresh.ts';

// The grants (and the verdict classifier behind them) are needed from step 4 on: loaded then, so
// the first load carries only steps 1-3.
const grants = () => import('../grants.ts');
import { emptySession, type Profile, type ProfileSession, type Storage } from '../storage/index.ts';
import { webLock } from '../tabs.ts';
import type { Timeline } from '../timeline.svelte.ts';
import type { HistoryKind } from '../triage/history.ts';
import type { Diagnosis } from '../triage/types.ts';
import type { Judged } from '../verdict/judge.ts';
import type { Persistence } from './persist.svelte.ts';
import type { TabSync } from './tabSync.ts';
import { afterCallback, codeAfterExchange } from './transitions.ts';

export interface FlowDeps {
  storage(): Storage;
  persist: Persistence;
  tabs: TabSync;
  timeline: Timeline;
  activeId(): string | null;
  profile(): Profile | null;
  environment(): EnvironmentInfo | null;
  /** The client_secret token calls send ('' = the server's). */
  secret(): string;
  /** Every profile id, for matching a redirect to the authorization that asked for it. */
  profileIds(): string[];
  selectProfile(id: string): Promise<void>;
}

type CallKind = 'exchange' | 'refresh' | 'verify' | 'check';

/**
 * The active profile's walk through the flow (steps 2 to 7): the session it produced, what each
 * answer proved, and the one place calls are recorded into the timeline. Every change is saved
 * at once, so a reload at any step loses nothing.
 */
export class Flow {
  session = $state<ProfileSession>(emptySession());
  callbackResult = $state.raw<CallbackResult | null>(null);
  /** How token requests are encoded; 'json' only while the JSON-body drill runs. */
  tokenFormat = $state<TokenFormat>('form');

  constructor(private readonly deps: FlowDeps) {}

  async load(profileId: string): Promise<void> {
    this.callbackResult = null;
    this.session = await this.deps.storage().loadSession(profileId);
  }

  async patch(patch: Partial<ProfileSession>): Promise<void> {
    Object.assign(this.session, patch);
    await this.#save();
  }

  async #save(): Promise<void> {
    const id = this.deps.activeId();
    if (!id) return;
    const saved = await this.deps.persist.run('this step', () =>
      this.deps.storage().saveSession(id, $state.snapshot(this.session)),
    );
    if (saved) this.deps.tabs.sessionChanged(id);
  }

  #recordCall(
    kind: CallKind,
    call: Judged<UpstreamExchange & { secretSource?: SecretSource }>,
    opts: { note?: string; verification?: boolean } = {},
  ): Promise<Diagnosis[]> {
    return this.deps.timeline.recordCall(kind, call, this.session, this.deps.profile()!, opts);
  }

  #event(kind: HistoryKind, outcome: 'ok' | 'error', errorCode: string | null, note: string) {
    this.deps.timeline.event(this.deps.profile()!, kind, outcome, errorCode, note);
  }

  /** Every raw secret this profile holds: what a report or export must never contain. */
  secretValues(): string[] {
    const s = this.session;
    const values = [
      this.deps.secret(),
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

  /** Step 2: a fresh state and PKCE verifier, remembered as the pending authorization. */
  async startAuthorization(): Promise<{ url: string; params: ExplainedParam[] }> {
    const profile = this.deps.profile();
    const env = this.deps.environment();
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
    await this.patch({
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
    const pending = await this.deps.storage().findPending(state, this.deps.profileIds());
    if (pending && pending.profileId !== this.deps.activeId())
      await this.deps.selectProfile(pending.profileId);
    await this.#accept(parseCallbackInput(query, pending), 'callback');
  }

  /**
   * Step 3 by hand: a pasted bare code, query string or whole redirect URL. The verdict on it
   * (`callbackResult`) is set at once; the returned promise is the session being saved.
   */
  acceptPasted(input: string): Promise<void> {
    return this.#accept(parseCallbackInput(input, this.session.pending), 'paste');
  }

  #accept(result: CallbackResult, source: 'callback' | 'paste'): Promise<void> {
    this.callbackResult = result;
    const { patch, event } = afterCallback(this.session, result, source, Date.now());
    this.#event('callback', event.outcome, event.errorCode, event.note);
    return patch ? this.patch(patch) : Promise.resolve();
  }

  /** Step 4's answer, judged: tokens only from a call whose verdict says it worked. */
  async recordExchange(call: Judged<TokenCallResult>): Promise<void> {
    const { processTokenCall } = await grants();
    const tokens = processTokenCall(call);
    const diagnoses = await this.#recordCall('exchange', call);
    const code = codeAfterExchange(this.session.code, call);
    await this.patch({
      exchange: call,
      code,
      triage: { ...this.session.triage, exchange: diagnoses },
      ...(tokens ? { tokens, verify: null, refresh: null, rotation: null } : {}),
    });
  }

  async recordVerify(call: Judged<UpstreamExchange>): Promise<void> {
    const diagnoses = await this.#recordCall('verify', call);
    await this.patch({ verify: call, triage: { ...this.session.triage, verify: diagnoses } });
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

  async recordRotationCheck(check: {
    oldAccessStatus: number | null;
    oldRefreshError: string | null;
  }): Promise<void> {
    if (this.session.rotation)
      await this.patch({ rotation: { ...this.session.rotation, ...check } });
  }

  /**
   * Step 7, serialized across tabs: see refresh.ts. `refreshToken` is the token this tab means to
   * send; if another tab already spent it, that tab's new pair is adopted and nothing is sent.
   */
  async refreshTokens(refreshToken: string): Promise<RefreshOutcome> {
    const profile = this.deps.profile()!;
    const client = {
      environment: profile.environment,
      clientId: profile.clientId,
      clientSecret: this.deps.secret(),
    };
    const storage = this.deps.storage();
    const [{ refreshTokenRequest }, { coordinatedRefresh }] = await Promise.all([
      grants(),
      import('../refresh.ts'),
    ]);
    const outcome = await coordinatedRefresh(
      profile.id,
      refreshToken,
      {
        lock: webLock,
        loadSession: (id) => storage.loadSession(id),
        saveSession: (id, session) => storage.saveSession(id, session),
        send: (token) => refreshTokenRequest(client, token),
      },
      $state.snapshot(this.session),
    );
    const stillActive = () => this.deps.activeId() === profile.id;
    if (stillActive()) this.session = outcome.session;
    if (outcome.kind !== 'adopted' && outcome.session.refresh) {
      const diagnoses = await this.#recordCall('refresh', outcome.session.refresh);
      if (stillActive()) this.session.triage = { ...this.session.triage, refresh: diagnoses };
      if (outcome.saved) await this.#save();
    }
    if (outcome.kind !== 'adopted' && outcome.saved) this.deps.tabs.sessionChanged(profile.id);
    if (outcome.kind === 'refreshed' && !outcome.saved) {
      this.deps.persist.error = `The new tokens could not be saved on this device (${outcome.saveError}).`;
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
    const { processTokenCall } = await grants();
    for (const call of calls) {
      const diagnoses = await this.#recordCall('refresh', call, { note: 'refresh race drill' });
      const tokens = processTokenCall(call);
      if (tokens) fresh = tokens;
      else [loser, loserDiagnoses] = [call, diagnoses];
    }
    await this.patch({
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
}
