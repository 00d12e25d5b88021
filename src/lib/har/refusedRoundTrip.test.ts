import { describe, expect, it } from 'vitest';
import type { CapturedCall } from '../api/traffic.ts';
import { diagnoseEvidence } from '../evidence/diagnose.ts';
import { readHarText } from '../evidence/readHar.ts';
import { classifyCall } from '../verdict/classify.ts';
import { toHar } from './fromExchanges.ts';
import { sanitizeHar } from './sanitize.ts';

const CODE = 'c0de5a1e9f3b7d2a4c6e8f0a1b3c5d7e9f2a4b6c';
const form = (code: string) =>
  new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: 'sim-demo-client-0d6f3b',
    client_secret: 'sim-demo-secret-8a41c7e2b9',
    code,
  }).toString();

/** The same code sent twice: first refused by the debugger (a chunked body over 64 KiB, read in
 * part), then exchanged for real. Only the second reached PandaDoc. */
function capture(): CapturedCall[] {
  const base = {
    upstream: 'us' as const,
    localPath: '/oauth2/access_token',
    userAgent: 'node',
    failure: null,
  };
  const refused: CapturedCall = {
    ...base,
    seq: 1,
    startedAt: 1_795_000_000_000,
    durationMs: 4,
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:5173/oauth2/access_token',
      headers: [['content-type', 'application/x-www-form-urlencoded']],
      body: `${form(CODE)}&pad=${'x'.repeat(100)}`,
    },
    response: {
      status: 413,
      statusText: 'Payload Too Large',
      headers: [['content-type', 'application/json']],
      body: '{"error":"invalid_request","error_description":"PandaDoc debugger proxy: request body larger than 64 KiB"}',
      truncated: false,
    },
    requestBodyTruncated: true,
    refused: {
      kind: 'too_large',
      reason: 'The body went over 64 KiB: the debugger stopped reading it.',
    },
  };
  const worked: CapturedCall = {
    ...base,
    seq: 2,
    startedAt: 1_795_000_001_000,
    durationMs: 30,
    request: {
      method: 'POST',
      url: 'https://api.pandadoc.com/oauth2/access_token',
      headers: [['content-type', 'application/x-www-form-urlencoded']],
      body: form(CODE),
    },
    response: {
      status: 200,
      statusText: 'OK',
      headers: [['content-type', 'application/json']],
      body: JSON.stringify({
        access_token: 'a1'.repeat(20),
        token_type: 'Bearer',
        expires_in: 31535999,
        refresh_token: 'r2'.repeat(20),
        scope: 'read+write',
      }),
      truncated: false,
    },
    requestBodyTruncated: false,
  };
  return [refused, worked];
}

async function roundTrip(calls: CapturedCall[]) {
  const sanitized = await sanitizeHar(toHar(calls));
  if (!sanitized.ok) throw new Error(JSON.stringify(sanitized.leaks));
  const read = readHarText(JSON.stringify(sanitized.har));
  if (!read.ok) throw new Error(read.error.message);
  return read.evidence;
}

describe('a call the debugger refused, exported as HAR and read back', () => {
  it('keeps the mark through the sanitizer, with no secret in it', async () => {
    const sanitized = await sanitizeHar(toHar(capture()));
    expect(sanitized.ok).toBe(true);
    const [first, second] = sanitized.ok ? sanitized.har.log.entries : [];
    expect(first).toMatchObject({
      _debuggerRefused: { kind: 'too_large' },
      comment: expect.stringContaining('never sent on'),
    });
    expect(second).not.toHaveProperty('_debuggerRefused');
    expect(JSON.stringify(sanitized)).not.toContain(CODE);
  });

  it('is judged as the debugger’s answer again: code untouched, never blamed on PandaDoc', async () => {
    const evidence = await roundTrip(capture());
    const [refused, worked] = evidence.entries.map((e) => e.exchange);
    expect(classifyCall('exchange', refused!)).toMatchObject({
      errorCode: 'debugger_refused',
      grant: 'untouched',
    });
    expect(classifyCall('exchange', worked!).outcome).toBe('ok');
    const report = await diagnoseEvidence(evidence);
    expect(report.diagnoses.map((d) => d.rule)).not.toContain('code_reused');
    expect(report.timeline[0]).toMatchObject({ errorCode: 'debugger_refused' });
  });

  it('leaves a HAR without the mark as it was: a 413 there is the server’s answer', async () => {
    const calls = capture();
    delete calls[0]!.refused;
    const evidence = await roundTrip(calls);
    const refused = evidence.entries[0]!.exchange;
    expect(classifyCall('exchange', refused).errorCode).not.toBe('debugger_refused');
  });
});
