/** Plain-language notes on every field of a token response, for the token step's table. */
import type { TokenSet } from './tokenResponse.ts';

export interface ExplainedField {
  name: string;
  value: string;
  explanation: string;
  secret: boolean;
  known: boolean;
}

/** "31535999 s (≈ 365 days)": seconds plus a rounded human unit. */
export function formatDuration(seconds: number): string {
  const abs = Math.abs(seconds);
  const [size, unit] =
    abs >= 86400 ? [86400, 'day'] : abs >= 3600 ? [3600, 'hour'] : [60, 'minute'];
  if (abs < 60) return `${seconds} s`;
  const n = Math.round(seconds / size);
  return `${seconds} s (≈ ${n} ${unit}${Math.abs(n) === 1 ? '' : 's'})`;
}

/** Unknown fields are shown as JSON so a string "1" and a number 1 look different. */
function rawValue(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/**
 * One row per field of the response, known ones first in PandaDoc's order, then unknown extras.
 * @see https://developers.pandadoc.com/reference/access-token
 */
export function explainTokenSet(tokens: TokenSet): ExplainedField[] {
  const expiry =
    tokens.expiresAt === null
      ? ''
      : // Written like the step's Expires line: one time format per panel.
        ` From when it arrived, that is ${new Date(tokens.expiresAt).toLocaleString()}.`;

  const fields: ExplainedField[] = [
    {
      name: 'access_token',
      value: tokens.accessToken,
      explanation:
        'The key to the API: send it as "Authorization: Bearer <token>". PandaDoc cannot revoke it; it stops working when it expires or as soon as you refresh.',
      secret: true,
      known: true,
    },
    {
      name: 'token_type',
      value: tokens.tokenType,
      explanation:
        'Bearer: whoever holds the token can use it, no other proof needed, so keep it secret.',
      secret: false,
      known: true,
    },
    {
      name: 'expires_in',
      value: tokens.expiresIn === null ? '' : formatDuration(tokens.expiresIn),
      explanation:
        tokens.expiresIn === null
          ? 'Not returned, so when the access token expires is unknown.'
          : `Seconds the access token stays valid, counted from the response; PandaDoc gives 31535999 s, one year.${expiry}`,
      secret: false,
      known: true,
    },
    {
      name: 'scope',
      value: tokens.scope ?? '',
      explanation:
        tokens.scope === null
          ? 'Not returned; the grant is whatever was asked for (read if nothing was).'
          : 'What the token may do. PandaDoc names every scope whose bits are all present, so a read and write grant reads "read write read+write".',
      secret: false,
      known: true,
    },
    {
      name: 'refresh_token',
      value: tokens.refreshToken ?? '',
      explanation:
        tokens.refreshToken === null
          ? 'Not returned: there is no way to get a new access token without authorizing again.'
          : 'Trades for a new token pair (grant_type=refresh_token). Single use: refreshing rotates it, and the old refresh and access tokens die at once, so save the new pair immediately. It has no expiry of its own.',
      secret: true,
      known: true,
    },
  ];
  for (const [name, v] of Object.entries(tokens.extra)) {
    fields.push({
      name,
      value: rawValue(v),
      explanation: 'Not a field PandaDoc is known to send; kept as it arrived.',
      secret: /token|secret|password/i.test(name),
      known: false,
    });
  }
  return fields;
}
