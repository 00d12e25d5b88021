import type { Entry } from 'har-format';
import { describe, expect, it } from 'vitest';
import type { UpstreamExchange } from '../api/wire.ts';
import { fingerprint } from '../fingerprint.ts';
import { SimSession } from '../triage/fixtures.ts';
import { diagnoseEvidence, hasProblem } from './diagnose.ts';
import { readHarText } from './readHar.ts';
import { authorizeUrl, browserGet, harEntry, harOf, noise } from './testHar.ts';
import type { EvidenceReport } from './types.ts';

const SIM = 'http://127.0.0.1:5173/sim';
const CALLBACK = 'https://app.customer.example/oauth/callback';

async function diagnose(entries: Entry[]): Promise<EvidenceReport> {
  const read = readHarText(JSON.stringify(harOf(entries)));
  if (!read.ok) throw new Error(read.error.message);
  return diagnoseEvidence(read.evidence);
}

const rules = (r: EvidenceReport) => r.diagnoses.map((d) => d.rule);
const find = (r: EvidenceReport, rule: string) => {
  const d = r.diagnoses.find((x) => x.rule === rule);
  if (!d) throw new Error(`no ${rule} in ${rules(r).join(', ')}`);
  return d;
};

/** Authorize in the browser, consent, and the callback page load, as a Chrome HAR has them. */
async function signIn(s: SimSession, state = 'st-123456', callbackState = state) {
  const auth = browserGet(
    authorizeUrl({ state, redirect_uri: CALLBACK }, `${SIM.replace('/sim', '')}/sim`),
    s.clock,
  );
  const code = await s.authorize({ state });
  const cb = browserGet(
    `${CALLBACK}?state=${encodeURIComponent(callbackState)}&code=${code.value}`,
    s.clock,
  );
  s.tick(500);
  return { auth, code, cb };
}

describe('diagnoseEvidence on a recorded flow', () => {
  it('a normal flow: the story in order, noise set aside, no problem', async () => {
    const s = new SimSession();
    const { auth, code, cb } = await signIn(s);
    const ex = await s.exchange(code.value);
    const { access } = SimSession.tokens(ex);
    const verify = await s.verify(access);
    const r = await diagnose([
      ...noise(auth.startedAt - 100, 4),
      harEntry(auth),
      harEntry(cb),
      ...noise(cb.startedAt + 1, 3),
      harEntry(ex),
      harEntry(verify),
    ]);
    expect(r.timeline.map((t) => t.kind)).toEqual(['authorize', 'callback', 'exchange', 'verify']);
    expect(r.timeline.map((t) => t.entry)).toEqual([5, 6, 10, 11]);
    expect(r.setAside).toBe(7);
    expect(r.total).toBe(11);
    const exchange = r.timeline[2];
    expect(exchange?.fingerprints.code).toBe(await fingerprint(code.value));
    expect(exchange?.fingerprints.newAccessToken).toBe(await fingerprint(access));
    expect(exchange?.outcome).toBe('ok');
    expect(exchange?.summary).toBe('200: a token pair');
    expect(r.timeline[1]?.fingerprints.code).toBe(await fingerprint(code.value));
    expect(hasProblem(r)).toBe(false);
    expect(JSON.stringify(r)).not.toContain(code.value);
    expect(JSON.stringify(r)).not.toContain(access);
  });

  it('a callback page loaded twice that exchanges twice: one code_reused naming all four entries', async () => {
    const s = new SimSession();
    const { auth, code, cb } = await signIn(s);
    const first = await s.exchange(code.value);
    const cb2 = { ...cb, startedAt: s.clock };
    s.tick(100);
    const second = await s.exchange(code.value);
    const r = await diagnose([
      harEntry(auth),
      harEntry(cb),
      harEntry(first),
      harEntry(cb2),
      harEntry(second),
    ]);
    const d = find(r, 'code_reused');
    expect(d.entries).toEqual([2, 3, 4, 5]);
    expect(d.title).toBe('The same code was exchanged 2 times');
    expect(d.cause).toContain('loaded more than once');
    expect(d.cause).toMatch(/entry 5 \(\d\d:\d\d:\d\d\) got invalid_grant/);
    expect(rules(r).filter((x) => x === 'code_reused')).toHaveLength(1);
    expect(hasProblem(r)).toBe(true);
  });

  it('one refresh token sent by two workers at once: refresh_race', async () => {
    const s = new SimSession();
    const { code } = await signIn(s);
    const ex = await s.exchange(code.value);
    const { refresh } = SimSession.tokens(ex);
    const a = await s.refresh(refresh);
    const b: UpstreamExchange = { ...(await s.refresh(refresh)) };
    b.startedAt = a.startedAt + 60; // started before a's answer came
    const r = await diagnose([harEntry(ex), harEntry(a), harEntry(b)]);
    const d = find(r, 'refresh_race');
    expect(d.title).toBe('Two refreshes raced with the same refresh token');
    expect(d.entries).toEqual([2, 3]);
    expect(d.cause).toContain('got invalid_grant');
    expect(rules(r)).not.toContain('refresh_rotated');
  });

  it('an access token used after the refresh that replaced it', async () => {
    const s = new SimSession();
    const { code } = await signIn(s);
    const ex = await s.exchange(code.value);
    const old = SimSession.tokens(ex);
    const rf = await s.refresh(old.refresh);
    const dead = await s.verify(old.access);
    const r = await diagnose([harEntry(ex), harEntry(rf), harEntry(dead)]);
    const d = find(r, 'token_after_refresh');
    expect(d.severity).toBe('error');
    expect(d.entries).toEqual([1, 2, 3]);
    expect(d.cause).toContain(await fingerprint(old.access));
    expect(rules(r)).not.toContain('api_unauthorized');
  });

  it('a JSON token request: json_body once, with the entry', async () => {
    const s = new SimSession();
    const { code } = await signIn(s);
    const body = JSON.stringify({ grant_type: 'authorization_code', code: code.value });
    const ex = await s.exchange(code.value, {}, { rawBody: body, contentType: 'application/json' });
    const r = await diagnose([harEntry(ex)]);
    expect(rules(r).filter((x) => x === 'json_body')).toHaveLength(1);
    expect(find(r, 'json_body').entries).toEqual([1]);
    expect(r.timeline[0]?.kind).toBe('exchange');
  });

  it('state: different, empty and missing between authorize and callback', async () => {
    for (const [back, rule] of [
      ['other-state', 'state_mismatch'],
      ['', 'state_empty'],
    ] as const) {
      const s = new SimSession();
      const { auth, cb } = await signIn(s, 'st-123456', back);
      const r = await diagnose([harEntry(auth), harEntry(cb)]);
      expect(find(r, rule).entries).toEqual([1, 2]);
      expect(find(r, rule).severity).toBe('error');
    }
    const s = new SimSession();
    const { auth, cb } = await signIn(s);
    const noState = {
      ...cb,
      request: { ...cb.request, url: cb.request.url.replace(/state=[^&]*&/, '') },
    };
    expect(
      find(await diagnose([harEntry(auth), harEntry(noState)]), 'state_missing').entries,
    ).toEqual([1, 2]);
  });

  it('redirect_uri and scope differing between authorize and token request', async () => {
    const s = new SimSession();
    const { auth, code, cb } = await signIn(s);
    const ex = await s.exchange(code.value, { redirect_uri: `${CALLBACK}/`, scope: 'read' });
    const r = await diagnose([harEntry(auth), harEntry(cb), harEntry(ex)]);
    expect(find(r, 'redirect_uri_changed').entries).toEqual([1, 3]);
    expect(find(r, 'redirect_uri_changed').cause).toMatch(/trailing slash/i);
    const scope = find(r, 'scope_differs');
    expect(scope.entries).toEqual([1, 3]);
    expect(scope.severity).toBe('warning');
  });
});

const T = Date.UTC(2025, 0, 6, 10, 0, 0);

function tokenCall(
  url: string,
  at: number,
  status: number,
  body: object,
  headers: Array<[string, string]> = [],
): UpstreamExchange {
  return {
    startedAt: at,
    durationMs: 120,
    request: {
      method: 'POST',
      url,
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'grant_type=authorization_code&client_id=c1&client_secret=s3cret-s3cret&code=0123456789abcdef0123456789abcdef01234567',
    },
    response: {
      status,
      statusText: '',
      headers: [['Content-Type', 'application/json'], ...headers],
      body: JSON.stringify(body),
      truncated: false,
    },
    failure: null,
  };
}

describe('whole-recording rules on synthetic recordings', () => {
  it('authorized on EU, exchanged on US', async () => {
    const auth = browserGet(authorizeUrl({}, 'https://app.pandadoc.eu'), T);
    const ex = tokenCall('https://api.pandadoc.com/oauth2/access_token', T + 9000, 400, {
      error: 'invalid_grant',
    });
    const r = await diagnose([harEntry(auth), harEntry(ex)]);
    const d = find(r, 'region_mismatch');
    expect(d.title).toBe('Authorized on PandaDoc EU, exchanged on PandaDoc US');
    expect(d.next).toContain('https://api.pandadoc.eu/oauth2/access_token');
    expect(d.entries).toEqual([1, 2]);
    expect(rules(r)).not.toContain('invalid_grant_unclear');
  });

  it('a clock gap between the recording and PandaDoc’s Date headers', async () => {
    const date = (at: number): [string, string] => [
      'Date',
      new Date(at + 7 * 60_000).toUTCString(),
    ];
    const a = tokenCall(
      'https://api.pandadoc.com/oauth2/access_token',
      T,
      200,
      { access_token: 'a'.repeat(40) },
      [date(T)],
    );
    const b = browserGet(
      'https://api.pandadoc.com/public/v1/members/current',
      T + 5000,
      200,
      [date(T + 5000)],
      '{}',
    );
    b.request.headers.push(['Authorization', `Bearer ${'a'.repeat(40)}`]);
    const r = await diagnose([harEntry(a), harEntry(b)]);
    const d = find(r, 'clock_gap');
    expect(d.title).toBe('The customer’s clock is 7 min behind PandaDoc’s');
    expect(d.entries).toEqual([1, 2]);
  });

  it('a burst that ends in 429', async () => {
    const calls = Array.from({ length: 8 }, (_, i) => {
      const c = browserGet(
        'https://api.pandadoc.com/public/v1/documents',
        T + i * 1000,
        i < 6 ? 200 : 429,
        [
          ['Content-Type', 'application/json'],
          ['Retry-After', '13'],
        ],
        i < 6 ? '{"results":[]}' : '{"type":"throttled","detail":"Request was throttled."}',
      );
      c.request.headers.push(['Authorization', 'Bearer tok-0123456789abcdef']);
      return harEntry(c);
    });
    const r = await diagnose(calls);
    const d = find(r, 'burst_429');
    expect(d.title).toBe('7 calls in 6 s, then 429 Too Many Requests');
    expect(d.next).toContain('13 s');
    expect(d.entries).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Only the burst: the calls that worked get no diagnosis, the 429s no second one.
    expect(rules(r)).toEqual(['burst_429']);
  });

  it('PandaDoc’s error page at authorize, and a Deny', async () => {
    const refused = browserGet(
      authorizeUrl({ redirect_uri: 'http://localhost/cb' }),
      T,
      400,
      [['Content-Type', 'text/html']],
      '<html><title>Error</title><p>Mismatching redirect URI.</p></html>',
    );
    const auth = browserGet(authorizeUrl({}), T + 1000);
    const denied = browserGet(`${CALLBACK}?state=st-123456&error=access_denied`, T + 5000);
    const r = await diagnose([harEntry(refused), harEntry(auth), harEntry(denied)]);
    expect(find(r, 'authorize_refused').cause).toContain('Mismatching redirect URI.');
    expect(find(r, 'access_denied').entries).toEqual([3]);
  });

  it('scope sent as read%2Bwrite is explained, not flagged', async () => {
    const auth = browserGet(authorizeUrl({}).replace('scope=read+write', 'scope=read%2Bwrite'), T);
    const r = await diagnose([harEntry(auth)]);
    const d = find(r, 'scope_encoding');
    expect(d.severity).toBe('info');
    expect(d.title).toBe('scope sent as “read%2Bwrite”');
    expect(hasProblem(r)).toBe(false);
  });

  it('a callback loaded twice but exchanged once is a warning, not an error', async () => {
    const cb = `${CALLBACK}?state=st-123456&code=${'c'.repeat(40)}`;
    const r = await diagnose([
      harEntry(browserGet(authorizeUrl({ redirect_uri: CALLBACK }), T)),
      harEntry(browserGet(cb, T + 4000)),
      harEntry(browserGet(cb, T + 5000)),
    ]);
    const d = find(r, 'callback_twice');
    expect(d.severity).toBe('warning');
    expect(d.entries).toEqual([2, 3]);
    expect(find(r, 'no_token_call').severity).toBe('info');
  });

  it('a scope encoded twice is an error', async () => {
    const auth = browserGet(
      authorizeUrl({}).replace('scope=read+write', 'scope=read%252Bwrite'),
      T,
    );
    const d = find(await diagnose([harEntry(auth)]), 'scope_encoding');
    expect(d.severity).toBe('error');
    expect(d.title).toBe('scope was encoded twice');
  });

  it('a redirect back to a URL nobody asked for is set aside, not taken for a callback', async () => {
    const r = await diagnose([
      harEntry(browserGet(authorizeUrl({ redirect_uri: CALLBACK }), T)),
      harEntry(browserGet(`https://shop.example/search?code=SUMMER&state=x`, T + 1000)),
    ]);
    expect(r.timeline.map((t) => t.kind)).toEqual(['authorize']);
    expect(r.setAside).toBe(1);
  });

  it('no PandaDoc traffic at all: an empty story, everything set aside', async () => {
    const r = await diagnose(noise(T, 6));
    expect(r.timeline).toEqual([]);
    expect(r.setAside).toBe(6);
    expect(hasProblem(r)).toBe(false);
  });

  it('Chrome’s sanitized export: no Authorization headers is said, not guessed around', async () => {
    const call = browserGet(
      'https://api.pandadoc.com/public/v1/members/current',
      T,
      401,
      [['Content-Type', 'application/json']],
      '{"type":"authentication_error","detail":"Authentication credentials were not provided."}',
    );
    const r = await diagnose([harEntry(call)]);
    expect(rules(r)).toContain('headers_stripped');
    expect(rules(r)).toContain('api_unauthorized');
  });
});
