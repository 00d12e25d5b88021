import { describe, expect, it } from 'vitest';
import { readFacts } from '../facts.ts';
import { triageAll } from '../index.ts';
import { handMade, res } from '../testHelpers.ts';
import type { TriageInput } from '../types.ts';
import { debuggerRefused } from './refused.ts';

const ANSWER = res(
  413,
  '{"error":"invalid_request","error_description":"PandaDoc debugger proxy: request body larger than 64 KiB"}',
);

/** A call the debugger answered itself, as the capture marks it. */
function refused(kind: string, input: TriageInput = handMade(ANSWER, null, 'exchange')) {
  return {
    ...input,
    call: { ...input.call, refused: { kind, reason: 'Why it was refused.' } },
  } as TriageInput;
}

const run = (input: TriageInput) => debuggerRefused(input, readFacts(input));

describe('debuggerRefused', () => {
  it('says nothing of a call PandaDoc answered, even the same 413 body', () => {
    expect(run(handMade(ANSWER, null, 'exchange'))).toBeNull();
  });

  it('a token call: never sent, no code used, the reason first, and the docs', () => {
    const d = run(refused('too_large'))!;
    expect(d).toMatchObject({
      rule: 'debugger_refused',
      severity: 'error',
      title: 'Refused by the debugger: never sent to PandaDoc',
      cause:
        'Why it was refused. The 413 answer came from this debugger, not from PandaDoc, so no code was used and no refresh token rotated.',
      evidence: [
        'Answered by the debugger: POST https://api.pandadoc.com/oauth2/access_token → 413',
      ],
      docs: 'https://developers.pandadoc.com/reference/access-token',
    });
    expect(d.next).toContain('the debugger allows 64 KiB');
  });

  it('an API call to the simulator: nothing changed there; no docs; an upload’s limit', () => {
    const input = refused('too_large', handMade(ANSWER));
    input.context.profile.environment = 'simulator';
    const d = run(input)!;
    expect(d.title).toBe('Refused by the debugger: never sent to the simulator');
    expect(d.cause).toContain('not from the simulator, so nothing changed on the simulator.');
    expect(d.docs).toBeUndefined();
    expect(d.next).toContain('Uploads through the debugger stop at 100 MB');
  });

  it('where the call would have gone comes from the capture before the profile', () => {
    const input = refused('method');
    input.context.profile.environment = 'simulator';
    input.context.wire = { upstream: 'eu', sent: {}, others: [] };
    expect(run(input)!.title).toBe('Refused by the debugger: never sent to PandaDoc');
  });

  it.each([
    ['method', 'The debugger never passes on CONNECT, TRACE or TRACK'],
    ['preflight', 'not from code in a browser page'],
    ['cross_site', 'Point your server-side code at the debugger instead'],
    ['not_found', 'passes on /oauth2/access_token and every path under /public/'],
    ['something new', 'Send the call again once it is fixed.'],
  ])('%s: the next step', (kind, next) => {
    expect(run(refused(kind))!.next).toContain(next);
  });

  it('comes first in the triage: nothing else reads the debugger’s answer as PandaDoc’s', () => {
    // Alone, this answer reads as PandaDoc refusing the request.
    expect(triageAll(handMade(ANSWER, null, 'exchange'))[0]?.rule).not.toBe('debugger_refused');
    expect(triageAll(refused('too_large')).map((d) => d.rule)).toEqual(['debugger_refused']);
  });
});
