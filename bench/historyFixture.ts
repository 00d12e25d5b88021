// Shared by the history benchmarks: a realistic report input (a real simulator session) and
// synthetic history entries shaped like the ones the app records.
import type { ReportInput } from '../src/lib/report/types.ts';
import { parseTokenResponse } from '../src/lib/oauth/tokenResponse.ts';
import { SimSession, SIM_CLIENT } from '../src/lib/triage/fixtures.ts';
import type { HistoryEntry } from '../src/lib/triage/history.ts';

const KINDS = ['exchange', 'verify', 'refresh'] as const;

/** Entry `n` of a long history: mostly working calls, every 7th a refused one. */
export function syntheticEntry(
  n: number,
  profileId = 'bench',
  t0 = Date.UTC(2025, 0, 6),
): HistoryEntry {
  const failed = n % 7 === 0;
  const kind = KINDS[n % 3] ?? 'verify';
  const hex = ((n * 2654435761) >>> 0).toString(16).padStart(8, '0');
  return {
    id: `e${n}`,
    profileId,
    at: t0 + n * 1000,
    kind,
    outcome: failed ? 'error' : 'ok',
    status: failed ? (kind === 'verify' ? 401 : 400) : 200,
    errorCode: failed ? (kind === 'verify' ? 'authentication_error' : 'invalid_grant') : null,
    grant: kind === 'verify' ? null : failed ? 'rejected' : 'spent',
    verification: false,
    durationMs: 180 + (n % 50),
    clientId: SIM_CLIENT.clientId,
    fingerprints:
      kind === 'verify'
        ? { accessToken: `${hex}…${hex.slice(0, 4)}` }
        : { refreshToken: `${hex}…c36a`, newAccessToken: `0b1d${hex.slice(4)}…9a8b` },
    note: kind === 'refresh' ? 'refresh_token grant' : '',
  } as HistoryEntry;
}

/**
 * A report input as the app builds it after exchange, use and refresh, with `n` older entries,
 * but for its history: the entries, oldest first, to store under `profileId` (as the app does,
 * by appending them) and read back as the app does for each report.
 */
export async function reportSession(
  n: number,
  profileId: string,
): Promise<{ input: Omit<ReportInput, 'history'>; entries: HistoryEntry[] }> {
  const s = new SimSession();
  const code = await s.authorize();
  const ex = await s.exchange(code.value, { redirect_uri: SIM_CLIENT.redirectUri });
  const first = SimSession.tokens(ex);
  const verify = await s.verify(first.access);
  const rf = await s.refresh(first.refresh);
  const parsed = parseTokenResponse(200, 'application/json', rf.response?.body ?? '', rf.startedAt);
  if (!parsed.ok) throw new Error('bench: the refresh failed');
  const older = Array.from({ length: n }, (_, i) =>
    syntheticEntry(i, profileId, s.clock - 10 ** 9),
  );
  const input = {
    generatedAt: s.clock,
    appVersion: 'bench',
    origin: 'http://127.0.0.1:5173',
    profile: {
      name: 'Bench',
      clientId: SIM_CLIENT.clientId,
      redirectUri: SIM_CLIENT.redirectUri,
      scope: 'read+write',
      environment: 'simulator' as const,
    },
    session: { exchange: ex, refresh: rf, verify, tokens: parsed.tokens },
    diagnoses: [],
    secrets: [
      ...s.secrets,
      'v3rifier-dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      'st4te-Xq9vLw2Zp8TkRb',
    ],
  };
  return { input, entries: [...older, ...s.history.map((h) => ({ ...h, profileId }))] };
}
