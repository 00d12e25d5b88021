import { describe, expect, it } from 'vitest';
import { SimSession } from '../fixtures.ts';
import { diagnose } from '../testHelpers.ts';

describe('triage: the member call', () => {
  it('api_unauthorized after a refresh: names the refresh that killed the token', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const { access, refresh } = SimSession.tokens(await s.exchange(code.value));
    await s.verify(access);
    await s.refresh(refresh);
    const me = await s.verify(access);
    expect(me.response?.status).toBe(401);
    const d = await diagnose(await s.input('verify', me, { accessToken: access }), s);
    expect(d.rule).toBe('api_unauthorized');
    expect(d.title).toBe('This access token was replaced by a refresh');
    expect(d.evidence.join('\n')).toMatch(
      /was used in the refresh at .* \(attempt 1\), which killed this access token/,
    );
    expect(d.evidence.join('\n')).toMatch(
      /The same token worked in the member call at .* \(attempt 1\)/,
    );
    expect(d.evidence[0]).toBe(
      'HTTP 401 authentication_error: "Authentication credentials were not provided."',
    );
  });

  it('api_unauthorized for an unknown token says it cannot tell which cause', async () => {
    const s = new SimSession();
    const me = await s.verify('e'.repeat(40));
    const d = await diagnose(await s.input('verify', me, { accessToken: 'e'.repeat(40) }), s);
    expect(d.rule).toBe('api_unauthorized');
    expect(d.cause).toMatch(/shows nothing that says which/);
  });

  it('api_forbidden: the spec-style 403 authentication error', async () => {
    const s = new SimSession();
    s.core.settings.membersAuthErrorStatus = 403;
    const me = await s.verify('e'.repeat(40));
    expect(me.response?.status).toBe(403);
    const d = await diagnose(await s.input('verify', me, { accessToken: 'e'.repeat(40) }), s);
    expect(d.rule).toBe('api_forbidden');
    expect(d.cause).toMatch(/spec maps .* to 403/);
  });
});
