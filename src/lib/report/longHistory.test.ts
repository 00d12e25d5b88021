import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint.ts';
import { SimSession, SIM_CLIENT } from '../triage/fixtures.ts';
import type { HistoryEntry } from '../triage/history.ts';
import { buildReport } from './buildReport.ts';
import { createScrubber } from './scrub.ts';
import { reportHistoryOf } from './steps.ts';
import type { ReportInput } from './types.ts';

/** A profile with `n` old entries (every 7th refused) before a real exchange and refresh. */
async function longSession(n: number) {
  const s = new SimSession();
  const code = await s.authorize();
  const ex = await s.exchange(code.value, { redirect_uri: SIM_CLIENT.redirectUri });
  const first = SimSession.tokens(ex);
  const rf = await s.refresh(first.refresh);
  const old = (i: number): HistoryEntry => ({
    id: `o${i}`,
    profileId: 'p1',
    at: Date.UTC(2025, 0, 1) + i * 1000,
    kind: i % 2 ? 'refresh' : 'verify',
    outcome: i % 7 ? 'ok' : 'error',
    status: i % 7 ? 200 : i % 2 ? 400 : 401,
    errorCode: i % 7 ? null : i % 2 ? 'invalid_grant' : 'authentication_error',
    grant: i % 2 ? (i % 7 ? 'spent' : 'rejected') : null,
    verification: false,
    durationMs: 100,
    clientId: SIM_CLIENT.clientId,
    fingerprints: { refreshToken: '3f9a1c2e…c36a' },
    note: `old ${i}`,
  });
  const history = [...Array.from({ length: n }, (_, i) => old(i)), ...s.history];
  // A secret pasted into an old note, long before the steps the Markdown lists.
  history[10] = { ...history[10]!, note: `pasted ${first.refresh} by mistake` };
  const input: ReportInput = {
    generatedAt: s.clock,
    appVersion: '0.1.0',
    origin: 'http://127.0.0.1:5173',
    profile: {
      name: 'Long',
      clientId: SIM_CLIENT.clientId,
      redirectUri: SIM_CLIENT.redirectUri,
      scope: 'read+write',
      environment: 'simulator',
    },
    history: reportHistoryOf(history),
    session: { exchange: ex, refresh: rf, verify: null, tokens: null },
    diagnoses: [],
    secrets: [...s.secrets],
  };
  return { input, first, history };
}

describe('buildReport with a long history', () => {
  it('summarises 10,000 steps in the Markdown, says so in its header, and keeps all in the JSON', async () => {
    const n = 10_000;
    const { input, first, history } = await longSession(n);
    const total = history.length;
    const { markdown, json, jsonText } = await buildReport(input);

    expect(markdown).toContain(
      `The history has ${total} steps. Under Steps this Markdown summarises them, counts every kind of failure, and lists the last 50 steps and the 50 most recent failures before them; the JSON form of this report carries every step.`,
    );
    // Per kind: verify are the even entries, refresh the odd ones, plus the real exchange and refresh.
    const failedVerify = Array.from({ length: n / 2 }, (_, k) => 2 * k).filter((i) => i % 7 === 0);
    const failedRefresh = Array.from({ length: n / 2 }, (_, k) => 2 * k + 1).filter(
      (i) => i % 7 === 0,
    );
    expect(markdown).toContain(`| verify | ${n / 2} | ${failedVerify.length} |`);
    expect(markdown).toContain(`| refresh | ${n / 2 + 1} | ${failedRefresh.length} |`);
    expect(markdown).toContain(
      `| refresh | 400 | invalid_grant | ${failedRefresh.length} | 2025-01-01 00:00:07 | `,
    );
    expect(markdown).toContain('### The last 50 steps');
    const failures = failedVerify.length + failedRefresh.length;
    expect(markdown).toContain(
      `### Earlier failures (the 50 most recent; ${failures} failures in all)`,
    );
    // Rows are numbered by their place in the whole history.
    expect(markdown).toContain(`| ${total} | `);
    expect(markdown).not.toContain('| old 10 |');
    expect(markdown.split('\n').filter((l) => /^\| \d+ \| 20/.test(l))).toHaveLength(100);
    expect(markdown.length).toBeLessThan(40_000);

    expect(json.summary.steps).toBe(total);
    const text = await jsonText();
    const parsed = JSON.parse(text) as { steps: Array<{ note: string }> };
    expect(parsed.steps).toHaveLength(total);
    expect(parsed.steps[10]?.note).toBe(`pasted [${await fingerprint(first.refresh)}] by mistake`);
    for (const secret of input.secrets) {
      expect(markdown).not.toContain(secret);
      expect(text).not.toContain(secret);
    }
  });

  it('lists every step of a short history, and says that too', async () => {
    const { input, history } = await longSession(20);
    const { markdown } = await buildReport(input);
    expect(markdown).toContain(
      `All ${history.length} steps of the history are listed under Steps.`,
    );
    expect(markdown).toContain(
      '| 11 | 00:00:10 | verify | ok | 200 | — | 100 ms | refreshToken 3f9a1c2e…c36a | pasted [',
    );
    expect(markdown).not.toContain('### The last 50 steps');
  });
});

describe('createScrubber.leaks', () => {
  it('finds a secret in any spelling', async () => {
    const secret = 'a+b/c=d "e" long enough';
    const scrub = await createScrubber([secret]);
    expect(scrub.leaks(`x ${encodeURIComponent(secret)} y`)).toEqual([secret]);
    expect(scrub.leaks(JSON.stringify({ v: secret }))).toEqual([secret]);
    expect(scrub.leaks(new URLSearchParams({ v: secret }).toString())).toEqual([secret]);
    expect(scrub.leaks('nothing here')).toEqual([]);
  });
});
