/** Codes and tokens: issue, exchange, rotate. Time comes from the owner's (offsettable) clock. */
import { randomBytes } from 'node:crypto';
import { READ, parseScope, scopeBits, scopeString, scopeWithin, type ScopeStyle } from './scope.ts';

export const CODE_LIFETIME_MS = 10 * 60 * 1000;
export const ACCESS_TOKEN_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;
/** What PandaDoc reports: 365 days less the second that has begun ticking. */
export const EXPIRES_IN = 31535999;

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

export class TokenStore {
  private readonly codes = new Map<string, Expiring>();
  private readonly accessTokens = new Map<string, Expiring>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();

  constructor(
    private readonly time: () => number,
    private readonly scopeStyle: () => ScopeStyle,
    /** expires_in for new access tokens, in seconds. */
    private readonly lifetime: () => number = () => EXPIRES_IN,
  ) {}

  clear(): void {
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /** A new single-use code, valid 10 minutes, bound to client + user + granted scope. */
  issueCode(grant: Grant): string {
    const code = hex40();
    this.codes.set(code, { ...grant, expiresAt: this.time() + CODE_LIFETIME_MS });
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
    const accessToken = hex40();
    const refreshToken = hex40();
    const lifetime = this.lifetime();
    // PandaDoc says 31535999 for a token that lives 365 days: expires_in is rounded down.
    const expiresAt =
      this.time() + (lifetime === EXPIRES_IN ? ACCESS_TOKEN_LIFETIME_MS : lifetime * 1000);
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
