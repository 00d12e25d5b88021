import { describe, expect, it } from 'vitest';
import type { TokenCallResult } from '../api/wire.ts';
import { fingerprint } from '../fingerprint.ts';
import { parseTokenResponse } from '../oauth/tokenResponse.ts';
import { SimSession, SIM_CLIENT } from '../triage/fixtures.ts';
import { triageAll } from '../triage/index.ts';
import { buildReport } from './buildReport.ts';
import { createScrubber } from './scrub.ts';
import { reportHistoryOf } from './steps.ts';
import type { ReportInput } from './types.ts';

/** A realistic session: exchange, verify, refresh, a reused code, and a dead old access token. */
async function session() {
  const s = new SimSession();
  const code = await s.authorize();
  const ex = await s.exchange(code.value, { redirect_uri: SIM_CLIENT.redirectUri });
  const first = SimSession.tokens(ex);
  await s.verify(first.access);
  const rf = await s.refresh(first.refresh);
  const second = SimSession.tokens(rf);
  const reused = await s.exchange(code.value);
  const dead = await s.verify(first.access);
  const diagnoses = [
    ...triageAll(await s.input('exchange', reused, { code })),
    ...triageAll(await s.input('verify', dead, { accessToken: first.access })),
  ];
  const parsed = parseTokenResponse(200, 'application/json', rf.response?.body ?? '', rf.startedAt);
  if (!parsed.ok) throw new Error('refresh failed');
  const verifier = 'v3rifier-dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const state = 'st4te-Xq9vLw2Zp8TkRb';
  const input: ReportInput = {
    generatedAt: s.clock,
    appVersion: '0.1.0',
    origin: 'http://127.0.0.1:5173',
    profile: {
      name: 'Demo | sim',
      clientId: SIM_CLIENT.clientId,
      redirectUri: SIM_CLIENT.redirectUri,
      scope: 'read+write',
      environment: 'simulator',
    },
    history: reportHistoryOf(s.history),
    session: { exchange: reused, refresh: rf, verify: dead, tokens: parsed.tokens },
    diagnoses,
    secrets: [...s.secrets, verifier, state],
  };
  return { s, input, code, first, second, verifier, state };
}

describe('buildReport', () => {
  it('never contains a secret, in Markdown or JSON', async () => {
    const { input } = await session();
    const { markdown, jsonText: write } = await buildReport(input);
    const jsonText = await write();
    expect(input.secrets.length).toBeGreaterThanOrEqual(7);
    for (const secret of input.secrets) {
      expect(markdown).not.toContain(secret);
      expect(jsonText).not.toContain(secret);
    }
  });

  it('shows fingerprints where the secrets were', async () => {
    const { input, code, first, second } = await session();
    const { markdown, json } = await buildReport(input);
    for (const value of [code.value, first.access, first.refresh, second.access, second.refresh]) {
      expect(markdown).toContain(await fingerprint(value));
    }
    expect(json.tokens?.accessToken).toBe(`[${await fingerprint(second.access)}]`);
    const refreshBody = JSON.parse(
      json.calls.find((c) => c.name === 'refresh')?.response?.body ?? '',
    ) as Record<string, unknown>;
    expect(refreshBody.access_token).toBe(`[${await fingerprint(second.access)}]`);
    expect(refreshBody.scope).toBe('read write read+write');
    const exchange = json.calls.find((c) => c.name === 'exchange');
    expect(exchange?.request.form).toContainEqual(['code', `[${await fingerprint(code.value)}]`]);
    expect(exchange?.request.form).toContainEqual(['client_secret', '[redacted]']);
    const verify = json.calls.find((c) => c.name === 'verify');
    expect(verify?.request.headers).toContainEqual([
      'Authorization',
      `Bearer [${await fingerprint(first.access)}]`,
    ]);
  });

  it('reads well: headings, a table of steps, the diagnoses', async () => {
    const { input } = await session();
    const { markdown, json, jsonText } = await buildReport(input);
    expect(markdown).toMatch(/^# PandaDoc OAuth support report: Demo \| sim\n/);
    expect(markdown).toContain('| Profile | Demo \\| sim |');
    expect(markdown).toContain(`| client_id | ${SIM_CLIENT.clientId} |`);
    expect(markdown).toContain(
      '| Token endpoint | http://127.0.0.1:5173/sim/oauth2/access_token |',
    );
    for (const h of ['## Diagnosis', '## Steps', '## Calls', '## Tokens'])
      expect(markdown).toContain(`\n${h}\n`);
    expect(markdown).toContain('### Error: This code was already exchanged');
    expect(markdown).toContain('### Error: This access token was replaced by a refresh');
    expect(markdown).toContain('| 1 | 10:31:10 | exchange | ok | 200 | — | 250 ms | code ');
    expect(markdown).toMatch(
      /\| 5 \| [\d:]+ \| verify \| failed \| 401 \| authentication_error \|/,
    );
    expect(markdown).toContain(
      '`POST http://127.0.0.1:5173/sim/oauth2/access_token` → **400 Bad Request** in 250 ms',
    );
    expect(markdown).toContain('client_secret: held by the local server (never included here).');
    expect((JSON.parse(await jsonText()) as { steps: unknown[] }).steps).toHaveLength(5);
    expect(json.environment.label).toBe('Simulator (offline)');
    expect(json.format).toBe('pandadoc-oauth-debugger/report@1');
  });

  it('round-trips as JSON', async () => {
    const { json } = await buildReport((await session()).input);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('scrubs secrets from non-JSON bodies, diagnoses and notes too', async () => {
    const { s, input, first, state } = await session();
    const html = `<html><body>token ${first.access} state=${encodeURIComponent(state)}</body></html>`;
    const verify = input.session.verify;
    if (!verify?.response) throw new Error('no verify');
    input.session.verify = { ...verify, response: { ...verify.response, body: html } };
    const [oldest, ...rest] = s.history;
    input.history = reportHistoryOf([
      { ...oldest!, note: `pasted ${first.refresh} by mistake` },
      ...rest,
    ]);
    input.diagnoses.push({
      rule: 'unknown',
      severity: 'error',
      title: `odd ${first.access}`,
      cause: 'c',
      next: 'n',
      evidence: [JSON.stringify({ t: first.refresh })],
    });
    const { markdown, jsonText } = await buildReport(input);
    const text = await jsonText();
    for (const secret of input.secrets) {
      expect(markdown).not.toContain(secret);
      expect(text).not.toContain(secret);
    }
    expect(text).toContain(`pasted [${await fingerprint(first.refresh)}] by mistake`);
    expect(markdown).toContain(
      `token [${await fingerprint(first.access)}] state=[${await fingerprint(state)}]`,
    );
  });

  it('handles an empty session and a call with no answer', async () => {
    const { input } = await session();
    const failed: TokenCallResult = {
      ...(input.session.refresh as TokenCallResult),
      response: null,
      failure: { kind: 'timeout', message: 'no complete answer within 15000 ms' },
    };
    const { markdown } = await buildReport({
      ...input,
      history: reportHistoryOf([]),
      diagnoses: [],
      session: { exchange: null, refresh: failed, verify: null, tokens: null },
    });
    expect(markdown).toContain('No steps recorded.');
    expect(markdown).toContain('Nothing went wrong in the last calls.');
    expect(markdown).toContain('**no answer** (timeout: no complete answer within 15000 ms)');
    expect(markdown).toContain('No tokens held.');
  });
});

describe('createScrubber', () => {
  it('replaces encoded spellings and short secrets', async () => {
    const secret = 's3cr\'et $HOME "q" + /';
    const scrub = await createScrubber([secret, 'abc']);
    const text = `raw ${secret} url ${encodeURIComponent(secret)} form ${new URLSearchParams([['x', secret]]).toString()} json ${JSON.stringify(secret)} short abc`;
    const out = scrub.text(text);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain('abc');
    expect(out.match(/\[[0-9a-f]{8}… \+ \/\]/g)).toHaveLength(4);
    expect(scrub.leaks(out)).toEqual([]);
  });

  it('removes a short secret even from inside a fingerprint', async () => {
    const long = 'aaaaaaaaaaaaaaaa-tail';
    const scrub = await createScrubber([long, 'tail']);
    const out = scrub.text(`x ${long} y`);
    expect(out).not.toContain('tail');
    expect(out).not.toContain(long);
  });
});
