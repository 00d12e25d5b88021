import type { EnvironmentId, ServerConfig } from './config.ts';

/**
 * The only places the server ever sends a request: a fixed base URL per environment and a fixed
 * set of paths. Nothing from the incoming request (headers, query, body) can change either.
 */
export const UPSTREAM_PATHS = {
  token: '/oauth2/access_token',
  currentMember: '/public/v1/members/current',
} as const;

export type UpstreamPath = (typeof UPSTREAM_PATHS)[keyof typeof UPSTREAM_PATHS];

export function upstreamBase(config: ServerConfig, environment: EnvironmentId): string {
  switch (environment) {
    case 'simulator':
      // The simulator is reached by URL, like any other upstream: no special case downstream.
      return `${config.origin}/sim`;
    case 'us':
      return 'https://api.pandadoc.com';
    case 'eu':
      return 'https://api.pandadoc.eu';
  }
}

export function upstreamUrl(config: ServerConfig, environment: EnvironmentId, path: UpstreamPath) {
  return upstreamBase(config, environment) + path;
}
