/** Server configuration, read once from the environment. Node only. */
import { parseSettingsPatch, type SimulatorSettingsValues } from './simulator/settings.ts';

import type { EnvironmentId } from '../lib/oauth/environments.ts';

export type { EnvironmentId };

export interface ServerConfig {
  host: string;
  port: number;
  /** Origin the browser uses to reach this server, e.g. http://127.0.0.1:5173. */
  origin: string;
  /** Where the pass-through paths (/oauth2/access_token, /public/v1/...) forward to. */
  defaultUpstream: EnvironmentId;
  /** Upper bound for one upstream call. */
  upstreamTimeoutMs: number;
  simulator: {
    clientId: string;
    clientSecret: string;
    /** The demo app's single registered redirect URI: the app's own /callback. */
    redirectUri: string;
  };
  /** Client secrets held by the server, per environment, so the browser never sees them. */
  serverSecrets: Partial<Record<EnvironmentId, string>>;
  /** Redirect URIs registered for the apps, where known: the UI checks the profile against them. */
  registeredRedirectUris: Partial<Record<EnvironmentId, string>>;
  /** The simulator's launch settings (SIM_* variables); the rest are the defaults. */
  simulatorSettings: Partial<SimulatorSettingsValues>;
}

export const DEFAULT_SIM_CLIENT_ID = 'sim-demo-client-0d6f3b';
export const DEFAULT_SIM_CLIENT_SECRET = 'sim-demo-secret-8a41c7e2b9';

function isEnvironmentId(value: string): value is EnvironmentId {
  return value === 'simulator' || value === 'us' || value === 'eu';
}

/** SIM_* variables → simulator settings; each value checked like the control API checks it. */
const SIM_SETTING_VARS: readonly [string, keyof SimulatorSettingsValues, 'number' | 'string'][] = [
  ['SIM_LATENCY_MS', 'latencyMs', 'number'],
  ['SIM_FAULT', 'fault', 'string'],
  ['SIM_FAULT_TARGET', 'faultTarget', 'string'],
  ['SIM_ACCESS_TOKEN_LIFETIME', 'accessTokenLifetimeSeconds', 'number'],
  ['SIM_MEMBERS_AUTH_STATUS', 'membersAuthErrorStatus', 'number'],
  ['SIM_EMAIL_VERIFIED_FIELD', 'emailVerifiedField', 'string'],
  ['SIM_SCOPE_STYLE', 'scopeStyle', 'string'],
];

function simulatorSettingsFrom(
  env: Record<string, string | undefined>,
): Partial<SimulatorSettingsValues> {
  const settings: Partial<SimulatorSettingsValues> = {};
  for (const [name, key, kind] of SIM_SETTING_VARS) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = kind === 'number' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    const parsed = parseSettingsPatch({ [key]: value });
    if (!parsed.ok) {
      throw new Error(`${name} ${parsed.message.slice(key.length + 1)}`);
    }
    Object.assign(settings, parsed.patch);
  }
  return settings;
}

export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
  const host = env.HOST || '127.0.0.1';
  const port = Number(env.PORT || 5173);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  }
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const upstream = env.DEFAULT_UPSTREAM || 'simulator';
  if (!isEnvironmentId(upstream)) {
    throw new Error(
      `DEFAULT_UPSTREAM must be simulator, us or eu, got ${JSON.stringify(upstream)}`,
    );
  }
  const timeout = Number(env.UPSTREAM_TIMEOUT_MS || 15000);
  const clientSecret = env.SIM_CLIENT_SECRET || DEFAULT_SIM_CLIENT_SECRET;
  const serverSecrets: ServerConfig['serverSecrets'] = { simulator: clientSecret };
  if (env.PANDADOC_US_CLIENT_SECRET) serverSecrets.us = env.PANDADOC_US_CLIENT_SECRET;
  if (env.PANDADOC_EU_CLIENT_SECRET) serverSecrets.eu = env.PANDADOC_EU_CLIENT_SECRET;
  return {
    host,
    port,
    origin,
    defaultUpstream: upstream,
    upstreamTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 15000,
    simulator: {
      clientId: env.SIM_CLIENT_ID || DEFAULT_SIM_CLIENT_ID,
      clientSecret,
      redirectUri: env.SIM_REDIRECT_URI || `${origin}/callback`,
    },
    serverSecrets,
    registeredRedirectUris: {
      simulator: env.SIM_REDIRECT_URI || `${origin}/callback`,
      ...(env.PANDADOC_US_REDIRECT_URI ? { us: env.PANDADOC_US_REDIRECT_URI } : {}),
      ...(env.PANDADOC_EU_REDIRECT_URI ? { eu: env.PANDADOC_EU_REDIRECT_URI } : {}),
    },
    simulatorSettings: simulatorSettingsFrom(env),
  };
}
