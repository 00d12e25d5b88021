/** Codes and tokens: issue, exchange, rotate. Time comes from the owner's (offsettable) clock. */
import { randomBytes } from 'node:crypto';
import { IssuedMap } from './issued.ts';
import { READ, parseScope, scopeBits, scopeString, scopeWithin, type ScopeStyle } from './scope.ts';

import { ACCESS_TOKEN_EXPIRES_IN, CODE_LIFETIME_MS } from '../../lib/oauth/pandadoc.ts';

export { CODE_LIFETIME_MS };
export const ACCESS_TOKEN_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;
/** What PandaDoc reports: 365 days less the second that has begun ticking. */
export const EXPIRES_IN = ACCESS_TOKEN_EXPIRES_IN;

export type JsonBody = Record<string, string | number | boolean>;
export interface JsonResult {
  status: number;
  body: JsonBody;
}

export interface Grant {
  clientId: string;
  userId: string;
  /** Scope bits (read=2, write=4). */
  scope: number;
}
interface Expiring extends Grant {
  expiresAt: number;
}
interface RefreshRecord extends Grant {
  accessToken: string;
}

/** 40 lowercase hex characters. */
export const hex40 = (): string => randomBytes(20).toString('hex');

export function oauthError(error: string, description?: string): JsonResult {
  return { status: 400, body: description ? { error, error_description: description } : { error } };
}

/**
 * How much the store keeps, so memory stays bounded however long the simulator runs. Dead entries
 * (exchanged or expired codes, rotated pairs, expired access tokens) are dropped as new ones are
 * issued: an unknown code or token gets the same answer as a dead one, so that is unobservable.
 * Past a cap the oldest live entry is dropped too, and then answers as a dead one would.
 */
export interface StoreLimits {
  /** Unexchanged codes kept at once (PandaDoc has no such cap; a client would need 10,000 open). */
  maxCodes: number;
  /** Live token pairs kept at once, across every client (PandaDoc's refresh tokens never expire). */
  maxTokenPairs: number;
}

export const DEFAULT_STORE_LIMITS: Readonly<StoreLimits> = Object.freeze({
  maxCodes: 10_000,
  maxTokenPairs: 10_000,
});

/** How many entries each map holds now, with the caps: shown by GET /sim/_control. */
export interface StoreSizes extends StoreLimits {
  codes: number;
  accessTokens: number;
  refreshTokens: number;
}

export class TokenStore {
  private readonly codes = new IssuedMap<Expiring>();
  private readonly accessTokens = new IssuedMap<Expiring>();
  private readonly refreshTokens = new IssuedMap<RefreshRecord>();
  readonly limits: Readonly<StoreLimits>;

  constructor(
    private readonly time: () => number,
    private readonly scopeStyle: () => ScopeStyle,
    /** expires_in for new access tokens, in seconds. */
    private readonly lifetime: () => number = () => EXPIRES_IN,
    limits: Partial<StoreLimits> = {},
  ) {
    this.limits = Object.freeze({ ...DEFAULT_STORE_LIMITS, ...limits });
    for (const [name, value] of Object.entries(this.limits)) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`${name} must be a whole number of at least 1, got ${value}`);
      }
    }
  }

  /** Forget every code and token. */
  clear(): void {
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /** Drop every code and access token that has expired by now (a full scan, bounded by the caps). */
  sweep(): void {
    const now = this.time();
    this.codes.deleteWhere((record) => record.expiresAt <= now);
    this.accessTokens.deleteWhere((record) => record.expiresAt <= now);
  }

  sizes(): StoreSizes {
    return {
      codes: this.codes.size,
      accessTokens: this.accessTokens.size,
      refreshTokens: this.refreshTokens.size,
      ...this.limits,
    };
  }

  /** A new single-use code, valid 10 minutes, bound to client + user + granted scope. */
  issueCode(grant: Grant): string {
    const now = this.time();
    this.codes.dropOldestWhile((record) => record.expiresAt <= now);
    while (this.codes.size >= this.limits.maxCodes) this.codes.delete(this.codes.oldest()![0]);
    const code = hex40();
    this.codes.set(code, { ...grant, expiresAt: now + CODE_LIFETIME_MS });
    return code;
  }

  /** The grant behind a live access token, or undefined if unknown, rotated away or expired. */
  accessGrant(token: string): Grant | undefined {
    const record = this.accessTokens.get(token);
    return record && record.expiresAt > this.time() ? record : undefined;
  }

  /** grant_type=authorization_code after client authentication. */
  exchangeCode(clientId: string, code: string | undefined, scope: string | undefined): JsonResult {
    if (!code) return oauthError('invalid_request');
    const record = this.codes.get(code);
    if (record && record.expiresAt <= this.time()) this.codes.delete(code);
    if (!record || record.clientId !== clientId || record.expiresAt <= this.time()) {
      return oauthError('invalid_grant');
    }
    const scopeError = checkScope(scope, record.scope);
    if (scopeError) return scopeError;
    this.codes.delete(code);
    return this.issue(record);
  }

  /** grant_type=refresh_token: rotates; the old refresh and access tokens die at once. */
  refresh(clientId: string, token: string | undefined, scope: string | undefined): JsonResult {
    if (!token) return oauthError('invalid_request');
    const record = this.refreshTokens.get(token);
    if (!record || record.clientId !== clientId) return oauthError('invalid_grant');
    const scopeError = checkScope(scope, record.scope);
    if (scopeError) return scopeError;
    this.refreshTokens.delete(token);
    this.accessTokens.delete(record.accessToken);
    return this.issue(record);
  }

  private issue({ clientId, userId, scope }: Grant): JsonResult {
    const now = this.time();
    this.accessTokens.dropOldestWhile((record) => record.expiresAt <= now);
    while (this.refreshTokens.size >= this.limits.maxTokenPairs) {
      const [token, record] = this.refreshTokens.oldest()!;
      this.accessTokens.delete(record.accessToken);
      this.refreshTokens.delete(token);
    }
    const accessToken = hex40();
    const refreshToken = hex40();
    const lifetime = this.lifetime();
    // PandaDoc says 31535999 for a token that lives 365 days: expires_in is rounded down.
    const expiresAt = now + (lifetime === EXPIRES_IN ? ACCESS_TOKEN_LIFETIME_MS : lifetime * 1000);
    this.accessTokens.set(accessToken, { clientId, userId, scope, expiresAt });
    this.refreshTokens.set(refreshToken, { clientId, userId, scope, accessToken });
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: lifetime,
        scope: scopeString(scope, this.scopeStyle()),
        refresh_token: refreshToken,
      },
    };
  }
}

/** A requested scope (omitted → read) must name valid scopes, then fit within what is held. */
function checkScope(requested: string | undefined, held: number): JsonResult | undefined {
  const parsed = parseScope(requested);
  if (!parsed.ok) return oauthError('invalid_request', `'${parsed.invalid}' is not a valid scope.`);
  const wanted = parsed.names.length ? scopeBits(parsed.names) : READ;
  return scopeWithin(wanted, held) ? undefined : oauthError('invalid_scope');
}
