import { describe, expect, it } from 'vitest';
import { parseCallbackInput, type CallbackResult, type PendingAuthorization } from './callback.ts';

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

function failure(result: CallbackResult) {
  if (result.ok) throw new Error(`expected failure, got ok with code ${result.code}`);
  return result;
}
function success(result: CallbackResult) {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result;
}

describe('parseCallbackInput: success', () => {
  it('accepts the full redirect URL and matches state', () => {
    const r = success(
      parseCallbackInput(
        `http://127.0.0.1:5173/callback?state=${pending.state}&code=${CODE}`,
        pending,
      ),
    );
    expect(r).toEqual({
      ok: true,
      code: CODE,
      state: pending.state,
      stateCheck: 'matched',
      warnings: [],
    });
  });

  it('accepts any origin and path, surrounding whitespace and a #fragment', () => {
    const r = success(
      parseCallbackInput(
        `  https://example.org/x/y?code=${CODE}&state=${pending.state}#_=_ \n`,
        pending,
      ),
    );
    expect(r.code).toBe(CODE);
    expect(r.stateCheck).toBe('matched');
  });

  it('accepts a query string with or without ?', () => {
    for (const q of [
      `?state=${pending.state}&code=${CODE}`,
      `state=${pending.state}&code=${CODE}`,
    ]) {
      expect(success(parseCallbackInput(q, pending)).code).toBe(CODE);
    }
  });

  it('accepts a URL without a scheme', () => {
    const r = parseCallbackInput(
      `localhost:5173/callback?state=${pending.state}&code=${CODE}`,
      pending,
    );
    expect(success(r).stateCheck).toBe('matched');
  });

  it('accepts a bare code without checking state', () => {
    const r = success(parseCallbackInput(CODE, null));
    expect(r.stateCheck).toBe('not_checked');
    expect(r.state).toBeNull();
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/state could not be checked/);
  });

  it('warns when a bare code is not 40 lowercase hex', () => {
    const r = success(parseCallbackInput('abc-DEF_123', pending));
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[1]).toMatch(/40 lowercase hex characters; this one is 11 characters/);
  });

  it('warns about uppercase hex', () => {
    const r = success(parseCallbackInput(CODE.toUpperCase(), null));
    expect(r.warnings.join(' ')).toMatch(/uppercase/);
  });

  it('warns about a short hex code in a URL but still matches state', () => {
    const r = success(parseCallbackInput(`?state=${pending.state}&code=abcdef12`, pending));
    expect(r.stateCheck).toBe('matched');
    expect(r.warnings.join(' ')).toMatch(/this one is 8 characters/);
  });

  it('reads the parameters from a #fragment, with a warning', () => {
    const r = success(
      parseCallbackInput(`http://x/cb#state=${pending.state}&code=${CODE}`, pending),
    );
    expect(r.code).toBe(CODE);
    expect(r.warnings.join(' ')).toMatch(/fragment/);
  });

  it('matches an empty state when the pending state is empty too', () => {
    const r = parseCallbackInput(`?state=&code=${CODE}`, { ...pending, state: '' });
    expect(success(r).stateCheck).toBe('matched');
  });
});

describe('parseCallbackInput: failures', () => {
  it('rejects empty input', () => {
    expect(failure(parseCallbackInput('   \n', pending)).code).toBe('empty');
  });

  it.each([
    ['{"code":1}', /JSON/],
    ['<html><body>hi</body></html>', /HTML/],
    ['hello world', /spaces/],
    ['abc', /too short/],
    ['abc%20defghij', /characters a code never has/],
    ['x'.repeat(600), /too long/],
  ])('calls %j garbage and says what it saw', (input, message) => {
    const r = failure(parseCallbackInput(input, pending));
    expect(r.code).toBe('garbage');
    expect(r.message).toMatch(message);
    expect(r.hint.length).toBeGreaterThan(10);
  });

  it('never echoes more than about 40 characters of input', () => {
    const long = 'lorem ipsum '.repeat(50);
    const r = failure(parseCallbackInput(long, pending));
    expect(r.message.length).toBeLessThan(long.length);
    expect(r.message).not.toContain('lorem ipsum '.repeat(4));
  });

  it('says a URL without code or error is missing the code', () => {
    const r = failure(parseCallbackInput('http://127.0.0.1:5173/callback?state=abc', pending));
    expect(r.code).toBe('missing_code');
    expect(r.message).toBe('That looks like a URL but it has no code= or error= parameter.');
  });

  it('says an empty code= is missing the code', () => {
    expect(failure(parseCallbackInput(`?state=${pending.state}&code=`, pending)).code).toBe(
      'missing_code',
    );
  });

  it('explains access_denied', () => {
    const r = failure(parseCallbackInput('http://x/callback?state=s&error=access_denied', null));
    expect(r.code).toBe('access_denied');
    expect(r.message).toMatch(/clicked Deny/);
  });

  it('reports other errors with their description', () => {
    const r = failure(
      parseCallbackInput(
        '?error=invalid_scope&error_description=Bad+scope+openid&state=s',
        pending,
      ),
    );
    expect(r.code).toBe('authorize_error');
    expect(r.message).toContain('"invalid_scope"');
    expect(r.message).toContain('Bad scope openid');
    expect(r.hint).toMatch(/read\+write/);
  });

  it('needs a pending authorization to check state', () => {
    const r = failure(parseCallbackInput(`?state=abc&code=${CODE}`, null));
    expect(r.code).toBe('no_pending');
    expect(r.hint).toMatch(/bare code/);
  });

  it('flags a missing state', () => {
    expect(failure(parseCallbackInput(`http://x/cb?code=${CODE}`, pending)).code).toBe(
      'state_missing',
    );
  });

  it('explains an empty echoed state', () => {
    const r = failure(parseCallbackInput(`?state=&code=${CODE}`, pending));
    expect(r.code).toBe('state_empty');
    expect(r.message).toMatch(/carried no state/);
  });

  it('flags a different state', () => {
    const r = failure(parseCallbackInput(`?state=other&code=${CODE}`, pending));
    expect(r.code).toBe('state_mismatch');
    expect(r.message).toMatch(/different or older/);
  });

  it('is case-sensitive about state', () => {
    const r = parseCallbackInput(`?state=${pending.state.toUpperCase()}&code=${CODE}`, pending);
    expect(failure(r).code).toBe('state_mismatch');
  });
});

describe('parseCallbackInput: every failure, word for word', () => {
  const cb = 'http://127.0.0.1:5173/callback';
  const parse = (input: string, p: PendingAuthorization | null = pending) =>
    parseCallbackInput(input, p);
  it('Deny, with the state it echoed', () => {
    expect(parse(`${cb}?error=access_denied&state=s1`)).toEqual({
      ok: false,
      code: 'access_denied',
      message:
        'The user clicked Deny on PandaDoc\'s "Authorize Application" screen, so no code was issued.',
      hint: 'Start again at the Authorize step and click Authorize this time.',
      state: 's1',
    });
  });
  it('another authorize error: a known one has its hint, an unknown one says start again', () => {
    expect(parse(`${cb}?error=invalid_scope&error_description=Bad+scope`)).toEqual({
      ok: false,
      code: 'authorize_error',
      message: 'PandaDoc\'s authorize step returned error "invalid_scope": Bad scope',
      hint: 'Use scope read, write or read+write only.',
      state: null,
    });
    expect(parse(`error=weird_thing&state=`)).toEqual({
      ok: false,
      code: 'authorize_error',
      message: 'PandaDoc\'s authorize step returned error "weird_thing" with no description.',
      hint: 'Start again at the Authorize step and paste the new redirect URL.',
      state: '',
    });
  });
  it('no code, or an empty code, in a URL or a query string', () => {
    expect(parse(`${cb}?state=x`)).toEqual({
      ok: false,
      code: 'missing_code',
      message: 'That looks like a URL but it has no code= or error= parameter.',
      hint: 'Copy the address PandaDoc redirected to, after you clicked Authorize.',
    });
    expect(parse(`code=&state=x`)).toEqual({
      ok: false,
      code: 'missing_code',
      message: 'That looks like a query string and has code= but the code is empty.',
      hint: 'Start again at the Authorize step and paste the new redirect URL.',
    });
  });
  it('no authorization pending, no state, empty state, another state', () => {
    expect(parse(`${cb}?code=${CODE}&state=x`, null)).toEqual({
      ok: false,
      code: 'no_pending',
      message:
        'No authorization was started in this browser, so the state in this redirect cannot be checked.',
      hint: 'Start at the Authorize step, or paste just the bare code to skip the state check.',
    });
    expect(parse(`${cb}?code=${CODE}`)).toEqual({
      ok: false,
      code: 'state_missing',
      message:
        'The redirect has no state= parameter. PandaDoc always echoes state (even empty), so part of the URL was probably lost when copying.',
      hint: 'Copy the whole address from the browser bar, or paste just the bare code to skip the state check.',
    });
    expect(parse(`${cb}?code=${CODE}&state=`)).toEqual({
      ok: false,
      code: 'state_empty',
      message:
        'The redirect came back with an empty state=. PandaDoc echoes state= empty when the authorize URL carried no state, so this redirect came from a different authorize request than the one started here.',
      hint: 'Start again at the Authorize step and paste the new redirect URL.',
    });
    expect(parse(`${cb}?code=${CODE}&state=other`)).toEqual({
      ok: false,
      code: 'state_mismatch',
      message:
        'The state in this redirect does not match the one this browser sent. It answers a different or older authorize request (another tab or profile), or it was tampered with.',
      hint: 'Start again at the Authorize step and paste the new redirect URL.',
    });
  });
  it('an empty state matches an authorize request that carried an empty state', () => {
    expect(parse(`${cb}?code=${CODE}&state=`, { ...pending, state: '' })).toEqual({
      ok: true,
      code: CODE,
      state: '',
      stateCheck: 'matched',
      warnings: [],
    });
  });
  it('two codes: the first is used, with a warning', () => {
    const r = success(parse(`${cb}?code=${CODE}&code=${'f'.repeat(40)}&state=${pending.state}`));
    expect([r.code, r.warnings]).toEqual([
      CODE,
      ['The URL has more than one code=; the first one is used.'],
    ]);
  });
});

describe('parseCallbackInput: the next step for each standard authorize error', () => {
  it.each([
    [
      'invalid_request',
      'Check the authorize URL parameters (client_id, redirect_uri, response_type=code).',
    ],
    ['unauthorized_client', 'Check the client ID belongs to an app in this PandaDoc region.'],
    ['unsupported_response_type', 'The authorize URL must say response_type=code.'],
    ['invalid_scope', 'Use scope read, write or read+write only.'],
    ['server_error', 'PandaDoc had a problem; wait a moment and start again.'],
    ['temporarily_unavailable', 'PandaDoc is busy; wait a moment and start again.'],
  ])('%s', (error, hint) => {
    expect(failure(parseCallbackInput(`error=${error}&state=s`, pending)).hint).toBe(hint);
  });
});
