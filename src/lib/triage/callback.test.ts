import { describe, expect, it } from 'vitest';
import { parseCallbackInput, type PendingAuthorization } from '../oauth/callback.ts';
import { triageCallback } from './callback.ts';

const CODE = '0123456789abcdef0123456789abcdef01234567';
const pending: PendingAuthorization = {
  profileId: 'p1',
  state: 'S7ate-value_xyz',
  codeVerifier: 'v'.repeat(43),
  clientId: 'client',
  redirectUri: 'http://127.0.0.1:5173/callback',
  authorizeUrl: 'https://app.pandadoc.com/oauth2/authorize?client_id=client',
  createdAt: 0,
};
const rule = (input: string, p: PendingAuthorization | null = pending) =>
  triageCallback(parseCallbackInput(input, p))?.rule ?? null;

describe('triageCallback', () => {
  it('is null when the code arrived and state matched', () => {
    expect(rule(`?state=${pending.state}&code=${CODE}`)).toBeNull();
    expect(rule(CODE, null)).toBeNull();
  });

  it('explains access_denied', () => {
    const d = triageCallback(
      parseCallbackInput('http://x/cb?state=s&error=access_denied', pending),
    );
    expect(d?.rule).toBe('access_denied');
    expect(d?.title).toBe('The user clicked Deny');
    expect(d?.next).toMatch(/click Authorize/);
    expect(d?.docs).toMatch(/rfc6749#section-4\.1\.2\.1/);
  });

  it.each([
    [`?state=other&code=${CODE}`, 'state_mismatch'],
    [`?state=&code=${CODE}`, 'state_empty'],
    [`http://x/cb?code=${CODE}`, 'state_missing'],
    ['http://x/cb?state=s', 'missing_code'],
    ['?error=invalid_scope&state=s', 'authorize_error'],
    ['hello world', 'unreadable_input'],
    ['  ', 'unreadable_input'],
  ])('%s → %s', (input, expected) => {
    const d = triageCallback(parseCallbackInput(input, pending));
    expect(d?.rule).toBe(expected);
    expect(d?.cause.length).toBeGreaterThan(10);
    expect(d?.next.length).toBeGreaterThan(10);
  });

  it('never repeats the code in a state failure', () => {
    const d = triageCallback(parseCallbackInput(`?state=other&code=${CODE}`, pending));
    expect(JSON.stringify(d)).not.toContain(CODE);
  });

  it('names no_pending', () => {
    expect(rule(`?state=abc&code=${CODE}`, null)).toBe('no_pending');
  });
});

describe('triageCallback: what it says, word for word', () => {
  const diagnose = (input: string, p: PendingAuthorization | null = pending) =>
    triageCallback(parseCallbackInput(input, p));

  it('tells Deny apart from other authorize errors', () => {
    expect(diagnose(`?state=${pending.state}&error=access_denied`)).toMatchObject({
      rule: 'access_denied',
      severity: 'error',
      title: 'The user clicked Deny',
      cause: expect.stringMatching(/ PandaDoc sends error=access_denied with no description\.$/),
      evidence: ['The redirect carried error=access_denied and no code.'],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1',
    });
    expect(diagnose(`?state=${pending.state}&error=server_error`)).toMatchObject({
      rule: 'authorize_error',
      title: 'PandaDoc refused the authorize request',
      evidence: [],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1',
    });
  });

  it('names each state problem with its own evidence', () => {
    expect(diagnose(`?state=other&code=${CODE}`)).toMatchObject({
      rule: 'state_mismatch',
      title: 'The state in the redirect does not match',
      evidence: [
        'The redirect carried a state= that differs from the one saved when Authorize was opened here.',
      ],
      docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-10.12',
    });
    expect(diagnose(`?state=&code=${CODE}`)).toMatchObject({
      rule: 'state_empty',
      title: 'The redirect came back with an empty state',
      evidence: ['The redirect carried state= with nothing after it.'],
    });
    expect(diagnose(`?code=${CODE}`)).toMatchObject({
      rule: 'state_missing',
      title: 'The redirect has no state',
      evidence: [],
    });
  });

  it('keeps the parser message as the cause and its hint as the next step', () => {
    const result = parseCallbackInput(`?state=other&code=${CODE}`, pending);
    if (result.ok) throw new Error('expected a failure');
    expect(triageCallback(result)).toMatchObject({ cause: result.message, next: result.hint });
  });

  it('titles the remaining failures', () => {
    expect(diagnose(`?state=x&code=${CODE}`, null)).toMatchObject({
      rule: 'no_pending',
      title: 'No authorize request was started here',
    });
    expect(diagnose(`?state=${pending.state}`)).toMatchObject({
      rule: 'missing_code',
      title: 'The redirect has no code',
      docs: 'https://developers.pandadoc.com/reference/authentication-process',
    });
    expect(diagnose('two words')).toMatchObject({
      rule: 'unreadable_input',
      title: 'That is not a redirect URL or a code',
    });
    expect(diagnose(`?state=${pending.state}&code=${CODE}`)).toBeNull();
  });
});
