/**
 * A call the debugger answered itself, as the real server captures it, judged and triaged the way
 * the Traffic section does: never blamed on PandaDoc, no code spent, and no evidence about the
 * recording's other calls.
 */
import { describe, expect, it } from 'vitest';
import { createServerApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { CapturedCall } from '../api/traffic.ts';
import { classifyCall } from '../verdict/classify.ts';
import { parseCallEvent } from './parse.ts';
import { triageRecording } from './triageCalls.ts';

const ORIGIN = 'http://127.0.0.1:5173';

/** Sends one request to a fresh server with capture on; returns what the ring holds. */
async function captured(path: string, init: RequestInit): Promise<CapturedCall[]> {
  const { app, ring } = createServerApp({ config: loadConfig({}), capture: { enabled: true } });
  await app.fetch(new Request(`${ORIGIN}${path}`, init));
  // Through the event stream's JSON, as the page reads it.
  return ring.list().map((c) => parseCallEvent(JSON.stringify(c)) as CapturedCall);
}

const oversize = (code: string) =>
  `grant_type=authorization_code&client_id=c&client_secret=s&code=${code}&pad=${'x'.repeat(70_000)}`;

describe('a call the debugger refused', () => {
  it('an oversize exchange: refused by the debugger, the code untouched, PandaDoc not blamed', async () => {
    const [call] = await captured('/oauth2/access_token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new Blob([oversize('abc')]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(call?.refused?.kind).toBe('too_large');
    const verdict = classifyCall('exchange', call!);
    expect(verdict).toMatchObject({
      outcome: 'error',
      errorCode: 'debugger_refused',
      grant: 'untouched',
      summary: '413: refused by the debugger, not sent on',
    });
    const [triaged] = await triageRecording([call!]);
    expect(triaged?.kind).toBe('exchange');
    expect(triaged?.verdict.errorCode).toBe('debugger_refused');
    const [d] = triaged!.diagnoses;
    expect(d).toMatchObject({
      rule: 'debugger_refused',
      severity: 'error',
      title: 'Refused by the debugger: never sent to the simulator',
    });
    expect(d?.cause).toContain('The 413 answer came from this debugger, not from the simulator');
    expect(d?.cause).toContain('no code was used and no refresh token rotated');
    expect(d?.next).toContain('64 KiB');
  });

  it('a member call from another site to the US host: PandaDoc never saw it', async () => {
    const [call] = await captured('/us/public/v1/members/current', {
      headers: { 'Sec-Fetch-Site': 'cross-site', Authorization: 'Bearer abc' },
    });
    const [triaged] = await triageRecording([call!]);
    expect(triaged?.kind).toBe('verify');
    expect(triaged?.verdict).toMatchObject({ outcome: 'error', errorCode: 'debugger_refused' });
    expect(triaged?.verdict.grant).toBeNull();
    expect(triaged?.diagnoses[0]).toMatchObject({
      rule: 'debugger_refused',
      title: 'Refused by the debugger: never sent to PandaDoc',
    });
    expect(triaged?.diagnoses[0]?.cause).toContain('nothing changed on PandaDoc');
  });

  it('a path it does not pass on, and a page on another site: the next step for each', async () => {
    const [notFound] = await captured('/eu/oauth2/token', { method: 'POST' });
    const [crossSite] = await captured('/oauth2/access_token', {
      method: 'POST',
      headers: { Origin: 'http://localhost:3000', 'Content-Type': 'application/json' },
      body: '{"grant_type":"authorization_code"}',
    });
    const [a, b] = await triageRecording([notFound!, crossSite!]);
    // Not "an API call that failed with not_found": a call that never left.
    expect(a?.verdict.errorCode).toBe('debugger_refused');
    expect(a?.diagnoses[0]?.next).toContain('/oauth2/access_token and every path under /public/');
    expect(b?.diagnoses.map((d) => d.rule)).toEqual(['debugger_refused']);
    expect(b?.diagnoses[0]?.cause).toContain('"http://localhost:3000"');
    expect(b?.diagnoses[0]?.next).toContain('from your server, not from code in a browser page');
  });

  it('is no evidence for a later call: the same code refused, then rejected, is not "exchanged twice"', async () => {
    const [refused] = await captured('/oauth2/access_token', {
      method: 'POST',
      body: new Blob([oversize('c0de')]).stream(),
      duplex: 'half',
    } as RequestInit);
    const later: CapturedCall = {
      ...refused!,
      seq: refused!.seq + 1,
      startedAt: refused!.startedAt + 5_000,
      request: {
        ...refused!.request,
        url: `${ORIGIN}/sim/oauth2/access_token`,
        body: 'grant_type=authorization_code&client_id=c&client_secret=s&code=c0de',
      },
      requestBodyTruncated: false,
      response: {
        status: 400,
        statusText: 'Bad Request',
        headers: [['content-type', 'application/json']],
        body: '{"error":"invalid_grant","error_description":"Code is expired or invalid"}',
        truncated: false,
      },
    };
    delete later.refused;
    const [, triaged] = await triageRecording([refused!, later]);
    expect(triaged?.verdict.errorCode).toBe('invalid_grant');
    expect(triaged?.diagnoses.map((d) => d.rule)).not.toContain('code_reused');
    // The same pair with the first one really answered is a code sent twice.
    const answered = { ...later, startedAt: refused!.startedAt, seq: 1 };
    const [, twice] = await triageRecording([answered, later]);
    expect(twice?.diagnoses[0]?.rule).toBe('code_reused');
  });
});
