/** What travels between the browser UI and the local server's /api. Shared by both sides. */
import type { EnvironmentId } from '../oauth/environments.ts';

export type Header = [name: string, value: string];

export interface RecordedRequest {
  /** As sent: the app's own calls use GET and POST; captured and imported calls may use any. */
  method: string;
  url: string;
  headers: Header[];
  body: string | null;
}

export interface RecordedResponse {
  status: number;
  statusText: string;
  headers: Header[];
  body: string;
  /** True when the body was cut at the server's size cap. */
  truncated: boolean;
}

export type UpstreamFailure =
  { kind: 'timeout'; message: string } | { kind: 'unreachable'; message: string };

/** One upstream call as it went over the wire: request as sent, response as received. */
export interface UpstreamExchange {
  startedAt: number;
  durationMs: number;
  request: RecordedRequest;
  response: RecordedResponse | null;
  failure: UpstreamFailure | null;
}

/** Where the client_secret of a token call came from; the value itself never comes back. */
export type SecretSource = 'browser' | 'server' | 'none';

export interface TokenCallResult extends UpstreamExchange {
  secretSource: SecretSource;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export interface AppConfig {
  origin: string;
  defaultUpstream: EnvironmentId;
  serverSecrets: Record<EnvironmentId, boolean>;
  simulator: { clientId: string; redirectUri: string };
  upstreamTimeoutMs: number;
  registeredRedirectUris: Partial<Record<EnvironmentId, string>>;
}

/** The placeholder the server puts where a client_secret was. */
export const REDACTED = '[redacted]';
