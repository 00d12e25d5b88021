import { describe, expect, it } from 'vitest';
import { triage } from '../index.ts';
import { handMade, res } from '../testHelpers.ts';

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
