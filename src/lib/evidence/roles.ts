/**
 * Which part of PandaDoc's OAuth story a request plays, from its URL and headers alone. Everything
 * else in a recording (images, scripts, analytics) is set aside.
 */
import type { Header } from '../api/wire.ts';
import type { EnvironmentId } from '../oauth/environments.ts';

export type EntryRole = 'authorize' | 'token' | 'api' | 'callback_candidate';

/** PandaDoc's hosts: app.* for authorize, api.* for tokens and the API (both regions). */
const PANDADOC_HOST = /(^|\.)pandadoc\.(com|eu)$/i;
const AUTHORIZE_PATH = /\/oauth2\/authorize\/?$/;
/** On any host: customers proxy the token endpoint. */
const TOKEN_PATH = /\/oauth2\/access_token\/?$/;

/** Cheap pre-check on an entry's raw JSON text: can it be part of the story at all? */
export const MAYBE_RELEVANT =
  /oauth2|pandadoc|bearer|[?&](?:code|error)=|\/public\/v1\/|grant_type|access_token/i;

export function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function headerValue(headers: readonly Header[], name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of headers) if (k.toLowerCase() === lower) return v;
  return null;
}

export function isAuthorizeUrl(url: URL): boolean {
  if (!AUTHORIZE_PATH.test(url.pathname)) return false;
  return PANDADOC_HOST.test(url.hostname) || url.pathname.endsWith('/sim/oauth2/authorize');
}

export function isTokenUrl(url: URL): boolean {
  return TOKEN_PATH.test(url.pathname);
}

/** A URL carrying what an authorize redirect brings back: a code or an error. */
export function isRedirectBack(url: URL): boolean {
  return url.searchParams.has('code') || url.searchParams.has('error');
}

export function entryRole(url: string, headers: readonly Header[]): EntryRole | null {
  const u = safeUrl(url);
  if (!u) return null;
  if (isAuthorizeUrl(u)) return 'authorize';
  if (isTokenUrl(u)) return 'token';
  const auth = headerValue(headers, 'authorization') ?? '';
  // PandaDoc's API (with or without credentials: some exporters strip them), or a Bearer call to
  // a proxy of it.
  const apiPath = u.pathname.includes('/public/v1/');
  if (
    (PANDADOC_HOST.test(u.hostname) && apiPath) ||
    (/^Bearer\s/i.test(auth) && (PANDADOC_HOST.test(u.hostname) || apiPath))
  ) {
    return 'api';
  }
  if (isRedirectBack(u)) return 'callback_candidate';
  return null;
}

/** Which PandaDoc a URL talks to: by host, or the simulator by path; null for any other host. */
export function regionOf(url: string): EnvironmentId | null {
  const u = safeUrl(url);
  if (!u) return null;
  if (/(^|\.)pandadoc\.eu$/i.test(u.hostname)) return 'eu';
  if (/(^|\.)pandadoc\.com$/i.test(u.hostname)) return 'us';
  if (u.pathname.startsWith('/sim/')) return 'simulator';
  return null;
}

/** Scheme, host and path: what a timeline may show of a URL (its query can carry a code). */
export function whereOf(url: string): string {
  const u = safeUrl(url);
  return u ? `${u.origin}${u.pathname}` : url.split('?')[0] || '(no URL in the evidence)';
}
