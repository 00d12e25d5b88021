import { REDACTED, type SecretSource, type UpstreamExchange } from './api/wire.ts';
import { SECRET_FIELDS } from './oauth/tokenRequest.ts';

/** Small pure helpers that turn recorded exchanges into what the inspector shows. */

export interface ShownField {
  name: string;
  value: string;
  secret: boolean;
  note: string | null;
}

export function formFields(body: string | null, secretSource?: SecretSource): ShownField[] {
  if (!body) return [];
  return [...new URLSearchParams(body)].map(([name, value]) => {
    if (name === 'client_secret' && value === REDACTED) {
      return {
        name,
        value: '••••',
        secret: false,
        note:
          secretSource === 'server'
            ? 'held by the local server: the browser never sees it'
            : 'typed in the browser; not echoed back',
      };
    }
    return { name, value, secret: SECRET_FIELDS.has(name), note: null };
  });
}

/** How a hidden secret is shown: on screen, its fingerprint (shownFingerprint.svelte.ts). */
export type Mask = (secret: string) => string;

function maskDeep(value: unknown, mask: Mask): unknown {
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_FIELDS.has(k) && typeof v === 'string' ? mask(v) : maskDeep(v, mask),
      ]),
    );
  }
  return value;
}

/** The response body for display: pretty JSON with tokens masked (null: unmasked), or the text as it came. */
export function displayBody(raw: string, mask: Mask | null): string {
  try {
    const parsed: unknown = JSON.parse(raw);
    return JSON.stringify(mask ? maskDeep(parsed, mask) : parsed, null, 2);
  } catch {
    return raw;
  }
}

/** Bearer tokens in recorded request headers, masked for display. */
export function displayHeader(name: string, value: string, mask: Mask): string {
  if (name.toLowerCase() !== 'authorization') return value;
  const [scheme, token] = value.split(' ', 2);
  return token ? `${scheme} ${mask(token)}` : mask(value);
}

export function statusLine(call: UpstreamExchange): string {
  if (call.response) return `${call.response.status} ${call.response.statusText}`.trim();
  return call.failure?.kind === 'timeout' ? 'timed out' : 'no answer';
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** "in 364 d 23 h", "in 4 min 10 s", "expired 3 min ago". */
export function formatCountdown(msLeft: number): string {
  const past = msLeft < 0;
  let s = Math.floor(Math.abs(msLeft) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = d
    ? [`${d} d`, `${h} h`, `${m} min`]
    : h
      ? [`${h} h`, `${m} min`, `${s} s`]
      : [`${m} min`, `${s} s`];
  return past ? `expired ${parts.join(' ')} ago` : `in ${parts.join(' ')}`;
}
