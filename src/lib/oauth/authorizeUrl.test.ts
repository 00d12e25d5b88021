import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl, encodeScopeForQuery, type AuthorizeRequest } from './authorizeUrl.ts';

const base: AuthorizeRequest = {
  authorizeEndpoint: 'https://app.pandadoc.com/oauth2/authorize',
  clientId: 'abc123',
  redirectUri: 'http://127.0.0.1:5173/callback',
  scope: 'read+write',
  state: 'st-ate_1',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
};

describe('buildAuthorizeUrl', () => {
  it('puts the parameters in the documented order', () => {
    const { url, params } = buildAuthorizeUrl(base);
    expect(params.map((p) => p.name)).toEqual([
      'client_id',
      'redirect_uri',
      'scope',
      'response_type',
      'state',
      'code_challenge',
      'code_challenge_method',
    ]);
    expect(url).toBe(
      'https://app.pandadoc.com/oauth2/authorize?client_id=abc123' +
        '&redirect_uri=http%3A%2F%2F127.0.0.1%3A5173%2Fcallback&scope=read+write' +
        '&response_type=code&state=st-ate_1' +
        '&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
    );
  });

  it('round-trips through URL parsing', () => {
    const { url } = buildAuthorizeUrl({ ...base, clientId: 'a b&c=d', state: '' });
    const q = new URL(url).searchParams;
    expect(q.get('client_id')).toBe('a b&c=d');
    expect(q.get('redirect_uri')).toBe(base.redirectUri);
    expect(q.get('scope')).toBe('read write');
    expect(q.get('state')).toBe('');
    expect(q.get('response_type')).toBe('code');
  });

  it('encodes spaces in scope as + and keeps a literal +', () => {
    expect(buildAuthorizeUrl({ ...base, scope: 'read write' }).url).toContain('&scope=read+write&');
    expect(buildAuthorizeUrl({ ...base, scope: 'read' }).url).toContain('&scope=read&');
  });

  it('marks the PKCE parameters as ignored by PandaDoc', () => {
    const { params } = buildAuthorizeUrl(base);
    const ignored = params.filter((p) => p.ignoredByPandaDoc).map((p) => p.name);
    expect(ignored).toEqual(['code_challenge', 'code_challenge_method']);
    expect(params.find((p) => p.name === 'code_challenge_method')?.value).toBe('S256');
  });

  it('explains every parameter in plain language', () => {
    const { params } = buildAuthorizeUrl(base);
    for (const p of params) expect(p.explanation.length).toBeGreaterThan(30);
    const byName = Object.fromEntries(params.map((p) => [p.name, p.explanation]));
    expect(byName.redirect_uri).toMatch(/trailing slash/);
    expect(byName.state).toMatch(/CSRF/);
    expect(byName.code_challenge).toMatch(/client_secret/);
  });

  it('appends to an endpoint that already has a query', () => {
    const { url } = buildAuthorizeUrl({ ...base, authorizeEndpoint: 'http://x/sim/authorize?k=1' });
    expect(url.startsWith('http://x/sim/authorize?k=1&client_id=abc123&')).toBe(true);
  });
});

describe('encodeScopeForQuery', () => {
  it('encodes other reserved characters', () => {
    expect(encodeScopeForQuery('read write+x&y')).toBe('read+write+x%26y');
  });
});

describe('encodeScopeForQuery', () => {
  it('keeps what people paste after scope=, and escapes the rest', () => {
    expect(encodeScopeForQuery('read+write')).toBe('read+write');
    expect(encodeScopeForQuery('read write')).toBe('read+write');
    expect(encodeScopeForQuery('read%2Bwrite')).toBe('read%2Bwrite');
    expect(encodeScopeForQuery('read%20write')).toBe('read%20write');
    expect(encodeScopeForQuery('100%')).toBe('100%25');
    expect(encodeScopeForQuery('a&b=c#d')).toBe('a%26b%3Dc%23d');
  });
});

describe('buildAuthorizeUrl: what each parameter says', () => {
  it('explains each parameter word for word', () => {
    expect(buildAuthorizeUrl(base).params).toEqual([
      {
        name: 'client_id',
        value: 'abc123',
        explanation:
          'Identifies your app; copy it from the PandaDoc developer dashboard. An unknown client ID shows an error page and never redirects back.',
      },
      {
        name: 'redirect_uri',
        value: 'http://127.0.0.1:5173/callback',
        explanation:
          "Where PandaDoc sends the user back with the code. It must match your app's settings exactly (scheme, host, port, path, trailing slash), or PandaDoc shows an error page instead.",
      },
      {
        name: 'scope',
        value: 'read+write',
        explanation:
          'What the app may do: read, write or read+write. "read+write" and "read write" grant the same; anything else (e.g. openid) is rejected, and leaving it out grants read only.',
      },
      {
        name: 'response_type',
        value: 'code',
        explanation:
          'Always "code": PandaDoc only supports the authorization-code flow, where a short-lived code comes back in the redirect and is exchanged for tokens server-side.',
      },
      {
        name: 'state',
        value: 'st-ate_1',
        explanation:
          'A random value, checked when the code comes back to stop CSRF and mixed-up responses. PandaDoc echoes it unchanged (even when it is empty).',
      },
      {
        name: 'code_challenge',
        value: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        explanation:
          'PKCE (RFC 7636): a hash of a secret kept in this browser. PandaDoc documents no PKCE and ignores it; it is sent so you can see how it works — the client_secret is what protects the exchange.',
        ignoredByPandaDoc: true,
      },
      {
        name: 'code_challenge_method',
        value: 'S256',
        explanation:
          'Says the challenge is SHA-256 of the verifier (RFC 7636 §4.3). Ignored by PandaDoc, like code_challenge.',
        ignoredByPandaDoc: true,
      },
    ]);
  });
  it('escapes a % not followed by two hex digits', () => {
    expect(encodeScopeForQuery('read%2')).toBe('read%252');
    expect(encodeScopeForQuery('read%2g')).toBe('read%252g');
    expect(encodeScopeForQuery("r-e_a.d~!*'()")).toBe("r-e_a.d~!*'()");
  });
});
