import { PANDADOC_HOSTS, PANDADOC_PATHS } from '../lib/oauth/pandadoc.ts';
import type { EnvironmentId, ServerConfig } from './config.ts';

/**
 * The only places the server ever sends a request: a fixed base URL per environment, and below it
 * either a fixed path (the app's own API) or a PandaDoc API path (the pass-through). Nothing from
 * the incoming request (headers, query, body, path tricks) can choose another host.
 */
export const UPSTREAM_PATHS = {
  token: PANDADOC_PATHS.token,
  currentMember: PANDADOC_PATHS.currentMember,
} as const;

export type UpstreamPath = (typeof UPSTREAM_PATHS)[keyof typeof UPSTREAM_PATHS];

export function upstreamBase(config: ServerConfig, environment: EnvironmentId): string {
  switch (environment) {
    case 'simulator':
      // The simulator is named by URL, like any other upstream: the inspector shows this URL even
      // when the call is served in-process (see passthrough/local.ts).
      return `${config.origin}/sim`;
    case 'us':
    case 'eu':
      return PANDADOC_HOSTS[environment].api;
  }
}

export function upstreamUrl(config: ServerConfig, environment: EnvironmentId, path: UpstreamPath) {
  return upstreamBase(config, environment) + path;
}

/** Where one pass-through request goes. */
export interface PassthroughTarget {
  environment: EnvironmentId;
  /** The full upstream URL, query included. */
  url: string;
  /** True for the token endpoint (its body stays capped at 64 KiB). */
  token: boolean;
}

/** Base URLs a client may pick an upstream with: `http://127.0.0.1:5173/us`, `/eu`. */
const REGION_PREFIXES: readonly (readonly [string, EnvironmentId])[] = [
  ['/us/', 'us'],
  ['/eu/', 'eu'],
];

const isTokenPath = (path: string) =>
  path === UPSTREAM_PATHS.token || path === `${UPSTREAM_PATHS.token}/`;

/**
 * The pass-through's routing: `/oauth2/access_token` (with or without the trailing slash) and
 * every path under `/public/` go to the default upstream; the same paths under `/us` or `/eu` go
 * to that region. `pathname` must be a parsed URL's pathname (dot segments already resolved);
 * anything else is null. The result is checked once more as a URL: same origin as the base, path
 * under the base.
 */
export function passthroughTarget(
  config: ServerConfig,
  pathname: string,
  search = '',
): PassthroughTarget | null {
  let environment = config.defaultUpstream;
  let path = pathname;
  for (const [prefix, region] of REGION_PREFIXES) {
    if (path.startsWith(prefix)) {
      environment = region;
      path = path.slice(prefix.length - 1);
      break;
    }
  }
  const token = isTokenPath(path);
  if (!token && !path.startsWith('/public/')) return null;
  const base = upstreamBase(config, environment);
  const url = base + path + search;
  const parsed = URL.parse(url);
  const fixed = fixedParts(base);
  if (!parsed || parsed.origin !== fixed.origin || parsed.pathname !== fixed.path + path) {
    return null;
  }
  return { environment, url, token };
}

const fixedCache = new Map<string, { origin: string; path: string }>();

/** A base URL's origin and path (no trailing slash), parsed once. */
function fixedParts(base: string): { origin: string; path: string } {
  let parts = fixedCache.get(base);
  if (!parts) {
    const url = new URL(base);
    parts = { origin: url.origin, path: url.pathname.replace(/\/$/, '') };
    fixedCache.set(base, parts);
  }
  return parts;
}
