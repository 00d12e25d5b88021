import { describe, expect, it } from 'vitest';
import { readFacts, type Rule } from '../facts.ts';
import { triage } from '../index.ts';
import { handMade, res } from '../testHelpers.ts';
import type { TriageInput } from '../types.ts';
import { unknownAnswer, upstreamMalformed } from './fallback.ts';

describe('triage: answers no other rule explains', () => {
  it('upstream_malformed: broken JSON, empty bodies, token answers without access_token', () => {
    expect(triage(handMade(res(200, '{"user_id":')))?.rule).toBe('upstream_malformed');
    expect(triage(handMade(res(200, '')))?.rule).toBe('upstream_malformed');
    expect(triage(handMade(res(200, '[1,2]')))?.rule).toBe('upstream_malformed');
    const d = triage(handMade(res(200, '{"token_type":"Bearer"}'), null, 'refresh'));
    expect(d?.rule).toBe('upstream_malformed');
    expect(d?.cause).toMatch(/no access_token/);
  });

  it('unknown: shows the answer as received and guesses nothing', () => {
    const d = triage(
      handMade(
        res(400, '{"error":"temporarily_mysterious","error_description":"Zorp."}'),
        null,
        'refresh',
      ),
    );
    expect(d?.rule).toBe('unknown');
    expect(d?.cause).toBe('This debugger does not recognise this answer; here it is as received.');
    expect(d?.evidence).toEqual([
      'HTTP 400',
      'error: temporarily_mysterious',
      'error_description: Zorp.',
      'Body as received: {"error":"temporarily_mysterious","error_description":"Zorp."}',
    ]);
    expect(triage(handMade(res(418, '{"type":"teapot"}')))?.rule).toBe('unknown');
  });

  it('reads the verdict: a 200 with an empty access_token is malformed, not a success', () => {
    const d = triage(handMade(res(200, '{"access_token":""}'), null, 'refresh'));
    expect(d?.rule).toBe('upstream_malformed');
    expect(d?.cause).toMatch(/access_token is empty/);
  });

  it('reads the verdict: a 200 carrying a token and an error is the error', () => {
    const body =
      '{"access_token":"2ff2dfe36322448c6953616740a910be57bbd4ca","error":"invalid_grant"}';
    const d = triage(handMade(res(200, body), null, 'refresh'));
    expect(d?.rule).toBe('invalid_grant_unclear');
  });
});

const run = (rule: Rule, input: TriageInput) => rule(input, readFacts(input));

describe('upstream_malformed: the full diagnosis', () => {
  it('an empty 200 to a member call', () => {
    expect(
      run(upstreamMalformed, handMade(res(200, ' \n', [['content-type', 'application/json']]))),
    ).toEqual({
      rule: 'upstream_malformed',
      severity: 'error',
      title: 'HTTP 200: the answer is not what PandaDoc sends',
      cause:
        'The body is empty. PandaDoc answers JSON objects, so something between here and PandaDoc changed or replaced the answer, or the URL points elsewhere.',
      next: 'Look at the raw response below; check proxies and the environment (simulator, US, EU).',
      evidence: ['Content-Type: application/json', 'Body as received: (empty body)'],
    });
  });
  it('a text 200 to a refresh, no content type', () => {
    expect(run(upstreamMalformed, handMade(res(200, 'OK', []), null, 'refresh'))).toEqual({
      rule: 'upstream_malformed',
      severity: 'error',
      title: 'HTTP 200: the answer is not what PandaDoc sends',
      cause:
        'The body is not JSON. PandaDoc answers JSON objects, so something between here and PandaDoc changed or replaced the answer, or the URL points elsewhere.',
      next: 'Look at the raw response below; check proxies and the environment (simulator, US, EU).',
      evidence: ['Content-Type: (none)', 'Body as received: OK'],
    });
  });
  it('JSON that is not an object', () => {
    expect(run(upstreamMalformed, handMade(res(200, '"token"'), null, 'exchange'))?.cause).toBe(
      'The body is JSON but not an object. PandaDoc answers JSON objects, so something between here and PandaDoc changed or replaced the answer, or the URL points elsewhere.',
    );
  });
  it('a token answer whose access_token is not a string', () => {
    const cause = (body: string) =>
      run(upstreamMalformed, handMade(res(200, body), null, 'exchange'))?.cause;
    expect(cause('{"access_token":{"v":1}}')).toMatch(
      /^The JSON has no access_token \(access_token is an object\)\. /,
    );
    expect(cause('{"access_token":null}')).toMatch(
      /^The JSON has no access_token \(access_token is null\)\. /,
    );
  });
  it('a token answer with an empty access_token: the parser reason, without its "HTTP 200" prefix', () => {
    expect(
      run(upstreamMalformed, handMade(res(200, '{"access_token":""}'), null, 'refresh')),
    ).toEqual({
      rule: 'upstream_malformed',
      severity: 'error',
      title: 'HTTP 200: the answer is not what PandaDoc sends',
      cause:
        'The answer is not usable: access_token is empty. PandaDoc answers JSON objects, so something between here and PandaDoc changed or replaced the answer, or the URL points elsewhere.',
      next: 'Look at the raw response below; check proxies and the environment (simulator, US, EU).',
      evidence: ['Content-Type: application/json', 'Body as received: {"access_token":""}'],
    });
  });
  it('a member answer the parser refuses', () => {
    expect(run(upstreamMalformed, handMade(res(200, '{"email":42}')))).toEqual({
      rule: 'upstream_malformed',
      severity: 'error',
      title: 'HTTP 200: the answer is not what PandaDoc sends',
      cause:
        'The answer is not usable: the JSON has neither user_id nor email, so it is not a member record. PandaDoc answers JSON objects, so something between here and PandaDoc changed or replaced the answer, or the URL points elsewhere.',
      next: 'Look at the raw response below; check proxies and the environment (simulator, US, EU).',
      evidence: ['Content-Type: application/json', 'Body as received: {"email":42}'],
    });
  });
  it('a malformed verdict without detail', () => {
    const input = handMade(res(200, '{"x":1}'));
    input.call.verdict = {
      outcome: 'error',
      errorCode: 'malformed',
      grant: null,
      summary: '200',
      detail: null,
    };
    expect(run(upstreamMalformed, input)?.cause).toMatch(
      /^The answer is not usable: it is not what PandaDoc sends\. /,
    );
    input.call.verdict = { ...input.call.verdict, detail: 'HTTP 200 but the email is missing.' };
    expect(run(upstreamMalformed, input)?.cause).toMatch(
      /^The answer is not usable: the email is missing\. PandaDoc/,
    );
  });
  it('stays silent for answers that worked, readable errors, and no answer', () => {
    expect(
      run(
        upstreamMalformed,
        handMade(res(200, '{"access_token":"a","token_type":"Bearer"}'), null, 'refresh'),
      ),
    ).toBeNull();
    expect(
      run(upstreamMalformed, handMade(res(400, '{"error":"invalid_grant"}'), null, 'refresh')),
    ).toBeNull();
    expect(
      run(upstreamMalformed, handMade(null, { kind: 'unreachable', message: 'x' })),
    ).toBeNull();
  });
});

describe('unknown: the full diagnosis', () => {
  it('an OAuth error this debugger does not know, with every field', () => {
    const body = JSON.stringify({
      error: 'server_busy',
      error_description: 'Later.',
      type: 't',
      detail: 'd',
    });
    expect(run(unknownAnswer, handMade(res(400, body), null, 'refresh'))).toEqual({
      rule: 'unknown',
      severity: 'error',
      title: 'Unrecognised answer: HTTP 400 server_busy',
      cause: 'This debugger does not recognise this answer; here it is as received.',
      next: 'Read the raw answer below, and include it in a support report.',
      evidence: [
        'HTTP 400',
        'error: server_busy',
        'error_description: Later.',
        'type: t',
        'detail: d',
        'Body as received: {"error":"server_busy","error_description":"Later.","type":"t","detail":"d"}',
      ],
    });
  });
  it('an API error type only', () => {
    expect(
      run(unknownAnswer, handMade(res(418, '{"type":"teapot","detail":"short and stout"}'))),
    ).toEqual({
      rule: 'unknown',
      severity: 'error',
      title: 'Unrecognised answer: HTTP 418 teapot',
      cause: 'This debugger does not recognise this answer; here it is as received.',
      next: 'Read the raw answer below, and include it in a support report.',
      evidence: [
        'HTTP 418',
        'type: teapot',
        'detail: short and stout',
        'Body as received: {"type":"teapot","detail":"short and stout"}',
      ],
    });
  });
  it('nothing to name: the status alone', () => {
    expect(run(unknownAnswer, handMade(res(409, '{}')))).toEqual({
      rule: 'unknown',
      severity: 'error',
      title: 'Unrecognised answer: HTTP 409',
      cause: 'This debugger does not recognise this answer; here it is as received.',
      next: 'Read the raw answer below, and include it in a support report.',
      evidence: ['HTTP 409', 'Body as received: {}'],
    });
  });
  it('long values are shortened', () => {
    const long = 'e'.repeat(300);
    const d = run(
      unknownAnswer,
      handMade(res(400, JSON.stringify({ error: long, error_description: long })), null, 'refresh'),
    );
    expect(d?.title).toBe(`Unrecognised answer: HTTP 400 ${'e'.repeat(39)}…`);
    expect(d?.evidence.slice(0, 3)).toEqual([
      'HTTP 400',
      `error: ${'e'.repeat(79)}…`,
      `error_description: ${'e'.repeat(199)}…`,
    ]);
    const api = run(
      unknownAnswer,
      handMade(res(400, JSON.stringify({ type: long, detail: long }))),
    );
    expect(api?.title).toBe(`Unrecognised answer: HTTP 400 ${'e'.repeat(39)}…`);
    expect(api?.evidence.slice(0, 3)).toEqual([
      'HTTP 400',
      `type: ${'e'.repeat(79)}…`,
      `detail: ${'e'.repeat(199)}…`,
    ]);
  });
  it('stays silent for answers that worked and no answer', () => {
    expect(
      run(
        unknownAnswer,
        handMade(res(200, '{"access_token":"a","token_type":"Bearer"}'), null, 'refresh'),
      ),
    ).toBeNull();
    expect(run(unknownAnswer, handMade(null, { kind: 'unreachable', message: 'x' }))).toBeNull();
  });
});
