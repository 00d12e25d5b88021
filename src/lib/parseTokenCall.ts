import type { UpstreamExchange } from './api/wire.ts';
import { parseTokenResponse, type TokenResponseResult } from './oauth/tokenResponse.ts';

/** The token endpoint's answer in a recorded call, parsed (null when no answer came). */
export function parseTokenCall(call: UpstreamExchange): TokenResponseResult | null {
  if (!call.response) return null;
  const type = call.response.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? null;
  return parseTokenResponse(
    call.response.status,
    type,
    call.response.body,
    call.startedAt + call.durationMs,
  );
}
