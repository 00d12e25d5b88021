/** The simulator's core: clients, the demo user, codes and tokens. Pure TypeScript, no HTTP. */
import {
  type AuthorizeError,
  type AuthorizeRequest,
  type ParamSource,
  type RegisteredClient,
  buildRedirect,
  validateAuthorize,
} from './authorize.ts';
import { DEMO_USER, type DemoUser, memberBody } from './member.ts';
import {
  type Fault,
  type SimulatorSettings,
  type SimulatorSettingsValues,
  createSettings,
  settingsValues,
} from './settings.ts';
import {
  type JsonResult,
  type StoreLimits,
  type StoreSizes,
  TokenStore,
  oauthError,
} from './tokens.ts';

export type { AuthorizeError, AuthorizeRequest, ParamSource, RegisteredClient };
export type { JsonBody, JsonResult, StoreLimits, StoreSizes } from './tokens.ts';
export {
  ACCESS_TOKEN_LIFETIME_MS,
  CODE_LIFETIME_MS,
  DEFAULT_STORE_LIMITS,
  EXPIRES_IN,
} from './tokens.ts';

/**
 * How far the simulated clock may be from real time, either way: ten years is more than any code
 * or token lifetime worth aging, and keeps every simulated time a valid Date.
 */
export const MAX_CLOCK_OFFSET_MS = 10 * 366 * 24 * 3600 * 1000;

export interface SimulatorCoreOptions extends RegisteredClient {
  /** Wall clock in ms; defaults to Date.now. The core adds `clockOffsetMs` to it. */
  now?: () => number;
  settings?: Partial<SimulatorSettingsValues>;
  /** Caps on the codes and token pairs kept at once (DEFAULT_STORE_LIMITS otherwise). */
  limits?: Partial<StoreLimits>;
}

export type ConsentDescriptor = { kind: 'consent'; request: AuthorizeRequest; user: DemoUser };
export type AuthorizeResult = ConsentDescriptor | AuthorizeError;
export type DecideResult = { kind: 'redirect'; location: string } | AuthorizeError;

export interface BasicCredentials {
  id: string;
  secret: string;
}

/** The two endpoints a fault can hit. */
export type FaultEndpoint = 'token' | 'members';

export class SimulatorCore {
  readonly settings: SimulatorSettings;
  /** The settings the simulator started with (defaults plus any given at construction). */
  readonly launchSettings: Readonly<SimulatorSettingsValues>;
  readonly user: DemoUser = DEMO_USER;
  /** Added to `now()`: advance it to age codes and tokens without waiting. */
  clockOffsetMs = 0;
  private readonly now: () => number;
  private readonly clients = new Map<string, RegisteredClient>();
  private readonly store: TokenStore;

  constructor({ now = Date.now, settings, limits, ...client }: SimulatorCoreOptions) {
    this.now = now;
    this.settings = createSettings(settings);
    this.launchSettings = Object.freeze(settingsValues(this.settings));
    this.store = new TokenStore(
      () => this.time(),
      () => this.settings.scopeStyle,
      () => this.settings.accessTokenLifetimeSeconds,
      limits,
    );
    this.registerClient(client);
  }

  /** The demo app registered at construction. */
  get client(): RegisteredClient {
    return this.clients.values().next().value as RegisteredClient;
  }

  /** Register another app (e.g. to show that one client can't use another's code). */
  registerClient(client: RegisteredClient): void {
    const { clientId, clientSecret, redirectUri } = client;
    this.clients.set(clientId, { clientId, clientSecret, redirectUri });
  }

  findClient(clientId: string): RegisteredClient | undefined {
    return this.clients.get(clientId);
  }

  /** Simulated time in ms: `now() + clockOffsetMs`. */
  time(): number {
    return this.now() + this.clockOffsetMs;
  }

  /** Whether moving the clock by `ms` keeps it within MAX_CLOCK_OFFSET_MS of real time. */
  canAdvanceClock(ms: number): boolean {
    return Number.isFinite(ms) && Math.abs(this.clockOffsetMs + ms) <= MAX_CLOCK_OFFSET_MS;
  }

  /**
   * Moves the simulated clock; a RangeError (and no move) past MAX_CLOCK_OFFSET_MS. Moving it back
   * first drops whatever has expired, as PandaDoc's clock never runs backwards: expired stays
   * expired.
   */
  advanceClock(ms: number): void {
    if (!this.canAdvanceClock(ms)) {
      throw new RangeError(
        `The simulated clock may be at most ${MAX_CLOCK_OFFSET_MS} ms from real time.`,
      );
    }
    if (ms < 0) this.store.sweep();
    this.clockOffsetMs += ms;
  }

  /** Forget every code and token and rewind the clock (settings have their own reset()). */
  clear(): void {
    this.store.clear();
    this.clockOffsetMs = 0;
  }

  /**
   * Settings back to how the simulator started, and the clock back to real time. Every code and
   * access token that has expired by the clock as it was is dropped first, so rewinding the clock
   * never revives one (an 11-minute-old code stays expired); live ones are kept.
   */
  resetControls(): void {
    this.store.sweep();
    Object.assign(this.settings, this.launchSettings);
    this.clockOffsetMs = 0;
  }

  /** Forget every code and token (the clock and settings stay as they are). */
  forgetGrants(): void {
    this.store.clear();
  }

  /** How many codes and tokens are held, and the caps. */
  grantSizes(): StoreSizes {
    return this.store.sizes();
  }

  /**
   * The fault a call to `endpoint` must answer with, or null. With `faultOnce` the fault is used
   * up by this call: `fault` goes back to 'none'.
   */
  takeFault(endpoint: FaultEndpoint): Exclude<Fault, 'none'> | null {
    const { fault, faultTarget, faultOnce } = this.settings;
    if (fault === 'none' || (faultTarget !== 'both' && faultTarget !== endpoint)) return null;
    if (faultOnce) this.settings.fault = 'none';
    return fault;
  }

  /** GET /oauth2/authorize: a consent screen for the signed-in demo user, or an error page. */
  authorize(query: ParamSource): AuthorizeResult {
    const result = validateAuthorize(query, (id) => this.findClient(id));
    if (result.kind !== 'ok') return result;
    return { kind: 'consent', request: result.request, user: this.user };
  }

  /** POST /oauth2/authorize: re-validates every parameter, then builds the redirect back. */
  decide(params: ParamSource, approve: boolean): DecideResult {
    const result = validateAuthorize(params, (id) => this.findClient(id));
    if (result.kind !== 'ok') return result;
    const { client, redirectUri, state, grant } = result.request;
    if (!approve) {
      const location = buildRedirect(redirectUri, state, ['error', 'access_denied']);
      return { kind: 'redirect', location };
    }
    const code = this.store.issueCode({
      clientId: client.clientId,
      userId: this.user.user_id,
      scope: grant,
    });
    return { kind: 'redirect', location: buildRedirect(redirectUri, state, ['code', code]) };
  }

  /** POST /oauth2/access_token, checks in PandaDoc's order; every error is a 400. */
  token(form: URLSearchParams, basicAuth?: BasicCredentials): JsonResult {
    const field = (name: string) => form.getAll(name).at(-1);
    const grantType = field('grant_type');
    if (grantType === undefined) {
      return oauthError('invalid_request', "No 'grant_type' included in the request.");
    }
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return oauthError('unsupported_grant_type');
    }
    const client =
      this.authenticate(basicAuth?.id, basicAuth?.secret) ??
      this.authenticate(field('client_id'), field('client_secret'));
    if (!client) return oauthError('invalid_client');
    return grantType === 'authorization_code'
      ? this.store.exchangeCode(client.clientId, field('code'), field('scope'))
      : this.store.refresh(client.clientId, field('refresh_token'), field('scope'));
  }

  /** GET /public/v1/members/current with the request's Authorization header. */
  currentMember(authorizationHeader: string | null | undefined): JsonResult {
    const match = /^Bearer +(\S+) *$/i.exec(authorizationHeader ?? '');
    const grant = match ? this.store.accessGrant(match[1]) : undefined;
    if (!grant || grant.userId !== this.user.user_id) {
      return {
        status: this.settings.membersAuthErrorStatus,
        body: {
          type: 'authentication_error',
          detail: 'Authentication credentials were not provided.',
        },
      };
    }
    return { status: 200, body: memberBody(this.user, this.settings.emailVerifiedField) };
  }

  /** HTTP Basic is tried first; if it is absent or wrong, the body's client_id/client_secret. */
  private authenticate(id: string | undefined, secret: string | undefined) {
    if (!id || !secret) return undefined;
    const client = this.clients.get(id);
    return client && client.clientSecret === secret ? client : undefined;
  }
}
