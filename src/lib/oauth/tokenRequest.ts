/** Step 4: the form body POSTed to the token endpoint, and which of its fields are secret. */

export type TokenGrant =
  | {
      grantType: 'authorization_code';
      clientId: string;
      clientSecret: string;
      code: string;
      scope?: string;
      redirectUri?: string;
    }
  | {
      grantType: 'refresh_token';
      clientId: string;
      clientSecret: string;
      refreshToken: string;
      scope?: string;
    };

export type FormFields = Array<[name: string, value: string]>;

/**
 * Fields in the order grant_type, client_id, client_secret, code | refresh_token, [scope], [redirect_uri].
 * PandaDoc wants the client credentials in the body and ignores redirect_uri at exchange.
 * @see RFC 6749 §4.1.3 and §6
 * @see https://developers.pandadoc.com/reference/access-token
 */
export function buildTokenForm(grant: TokenGrant): FormFields {
  const fields: FormFields = [
    ['grant_type', grant.grantType],
    ['client_id', grant.clientId],
    ['client_secret', grant.clientSecret],
  ];
  if (grant.grantType === 'authorization_code') fields.push(['code', grant.code]);
  else fields.push(['refresh_token', grant.refreshToken]);
  if (grant.scope) fields.push(['scope', grant.scope]);
  if (grant.grantType === 'authorization_code' && grant.redirectUri) {
    fields.push(['redirect_uri', grant.redirectUri]);
  }
  return fields;
}

/** `application/x-www-form-urlencoded` with URLSearchParams semantics (space → `+`, `+` → `%2B`). */
export function encodeForm(fields: FormFields): string {
  return new URLSearchParams(fields).toString();
}

/** Field names whose values must never be shown or logged in full. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'client_secret',
  'code',
  'refresh_token',
  'access_token',
]);
