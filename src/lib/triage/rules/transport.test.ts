import { describe, expect, it } from 'vitest';
import { readFacts, type Rule } from '../facts.ts';
import { triage } from '../index.ts';
import { handMade, res } from '../testHelpers.ts';
import type { TriageInput } from '../types.ts';
import {
  rateLimited,
  retryAfterSeconds,
  upstream5xx,
  upstreamHtml,
  upstreamTimeout,
  upstreamUnreachable,
} from './transport.ts';

describe('triage: hand-built transport failures', () => {
  it('rate_limited: Retry-After header', () => {
    const d = triage(
      handMade(
        res(429, '{"type":"throttled","detail":"Request was throttled."}', [
          ['content-type', 'application/json'],
          ['Retry-After', '13'],
        ]),
      ),
    );
    expect(d?.rule).toBe('rate_limited');
    expect(d?.next).toMatch(/^Wait 13 s/);
    expect(d?.evidence).toContain('Retry-After: 13');
  });

  it('rate_limited: "Expected available in N seconds" without the header', () => {
    const d = triage(
      handMade(
        res(
          429,
          '{"type":"throttled","detail":"Request was throttled. Expected available in 42 seconds."}',
        ),
      ),
    );
    expect(d?.next).toMatch(/^Wait 42 s/);
  });

  it('rate_limited: Retry-After as an HTTP date', () => {
    const d = triage(
      handMade(res(429, '{}', [['Retry-After', new Date(1_030_000).toUTCString()]])),
    );
    expect(d?.next).toMatch(/^Wait 30 s/);
  });

  it('upstream_5xx', () => {
    const d = triage(
      handMade(
        res(503, '<html>Service Unavailable</html>', [['content-type', 'text/html']]),
        null,
        'refresh',
      ),
    );
    expect(d?.rule).toBe('upstream_5xx');
    expect(d?.evidence.join(' ')).toMatch(/HTML page/);
    expect(d?.next).toMatch(/invalid_grant/);
  });

  it('upstream_html on a 200', () => {
    const d = triage(
      handMade(res(200, '<!doctype html><title>Login</title>', [['content-type', 'text/html']])),
    );
    expect(d?.rule).toBe('upstream_html');
  });

  it('upstream_timeout and upstream_unreachable', () => {
    const t = triage(
      handMade(null, { kind: 'timeout', message: 'no complete answer within 15000 ms' }, 'refresh'),
    );
    expect(t?.rule).toBe('upstream_timeout');
    expect(t?.cause).toMatch(/rotated/);
    const u = triage(
      handMade(null, { kind: 'unreachable', message: 'the host name could not be resolved (DNS)' }),
    );
    expect(u?.rule).toBe('upstream_unreachable');
    expect(u?.cause).toContain('DNS');
    expect(u?.next).toMatch(/PandaDoc US, not PandaDoc EU/);
  });
});

const run = (rule: Rule, input: TriageInput) => rule(input, readFacts(input));
function inEnv(input: TriageInput, environment: 'us' | 'eu' | 'simulator'): TriageInput {
  return {
    ...input,
    context: { ...input.context, profile: { ...input.context.profile, environment } },
  };
}
const TIMEOUT = { kind: 'timeout', message: 'no complete answer within 15000 ms' } as const;
const DNS = { kind: 'unreachable', message: 'the host name could not be resolved (DNS)' } as const;

describe('upstream_timeout: the full diagnosis', () => {
  it('a member call: nothing changed on PandaDoc', () => {
    expect(run(upstreamTimeout, inEnv(handMade(null, TIMEOUT), 'eu'))).toEqual({
      rule: 'upstream_timeout',
      severity: 'error',
      title: 'api.pandadoc.com did not answer in time',
      cause:
        'The local server gave up after 15000 ms without a complete answer. Nothing changed on PandaDoc because of it.',
      next: "Try again in a moment. Check the network, any proxy or VPN, and that the profile's environment is right (PandaDoc EU, not PandaDoc US).",
      evidence: [
        'Upstream: GET https://api.pandadoc.com/public/v1/members/current',
        'Failure: no complete answer within 15000 ms',
      ],
    });
  });
  it('a refresh: the token may have rotated anyway', () => {
    expect(run(upstreamTimeout, handMade(null, { ...TIMEOUT, message: 'cut' }, 'refresh'))).toEqual(
      {
        rule: 'upstream_timeout',
        severity: 'error',
        title: 'api.pandadoc.com did not answer in time',
        cause:
          'The local server gave up after 15000 ms without a complete answer. PandaDoc may still have processed the request: a code may now be used, or a refresh token rotated, even though no answer arrived.',
        next: 'Try again. If the retry says invalid_grant, the first attempt went through: authorize again for a fresh code (or use the newest refresh token you hold).',
        evidence: ['Upstream: POST https://api.pandadoc.com/oauth2/access_token', 'Failure: cut'],
      },
    );
  });
  it('an unparsable URL is named as written; a member call on the simulator', () => {
    const input = inEnv(handMade(null, TIMEOUT), 'simulator');
    input.call.request.url = 'not a url';
    input.call.durationMs = 1499.6;
    const d = run(upstreamTimeout, input);
    expect(d?.title).toBe('not a url did not answer in time');
    expect(d?.cause).toBe(
      'The local server gave up after 1500 ms without a complete answer. Nothing changed on PandaDoc because of it.',
    );
    expect(d?.next).toBe(
      'Try again in a moment. The simulator runs inside the local server, so check that it is running.',
    );
  });
  it('not for other failures or answers', () => {
    expect(run(upstreamTimeout, handMade(null, DNS))).toBeNull();
    expect(run(upstreamTimeout, handMade(res(200, '{}')))).toBeNull();
  });
});

describe('upstream_unreachable: the full diagnosis', () => {
  it('DNS failure on PandaDoc EU', () => {
    expect(run(upstreamUnreachable, inEnv(handMade(null, DNS, 'exchange'), 'eu'))).toEqual({
      rule: 'upstream_unreachable',
      severity: 'error',
      title: 'api.pandadoc.com could not be reached',
      cause:
        'The request never got an HTTP answer: the host name could not be resolved (DNS). PandaDoc did not see it, so nothing was used up.',
      next: "Check the network, any proxy or VPN, and that the profile's environment is right (PandaDoc EU, not PandaDoc US).",
      evidence: ['Upstream: POST https://api.pandadoc.com/oauth2/access_token'],
    });
  });
  it('no answer and no failure recorded, on the simulator', () => {
    expect(run(upstreamUnreachable, inEnv(handMade(null), 'simulator'))).toEqual({
      rule: 'upstream_unreachable',
      severity: 'error',
      title: 'api.pandadoc.com could not be reached',
      cause:
        'The request never got an HTTP answer: no response was recorded. PandaDoc did not see it, so nothing was used up.',
      next: 'The simulator runs inside the local server, so check that it is running.',
      evidence: ['Upstream: GET https://api.pandadoc.com/public/v1/members/current'],
    });
  });
  it('not for timeouts or answers', () => {
    expect(run(upstreamUnreachable, handMade(null, TIMEOUT))).toBeNull();
    expect(run(upstreamUnreachable, handMade(res(502, '')))).toBeNull();
  });
});

describe('retryAfterSeconds', () => {
  it('reads a delta, a date (rounded up, never negative), then the detail', () => {
    expect(retryAfterSeconds(' 13 ', null, 0)).toBe(13);
    expect(retryAfterSeconds('0', 'Expected available in 9 seconds', 0)).toBe(0);
    expect(retryAfterSeconds(new Date(1_000_000).toUTCString(), null, 998_500)).toBe(2);
    expect(retryAfterSeconds(new Date(1_000_000).toUTCString(), null, 1_005_000)).toBe(0);
    expect(
      retryAfterSeconds('soon', 'Request was throttled. Expected available in 1 second.', 0),
    ).toBe(1);
    expect(retryAfterSeconds(null, 'AVAILABLE IN 7 SECONDS', 0)).toBe(7);
    expect(retryAfterSeconds('12s', null, 0)).toBeNull();
    expect(retryAfterSeconds('x12', null, 0)).toBeNull();
    expect(retryAfterSeconds('soon', 'Request was throttled.', 0)).toBeNull();
    expect(retryAfterSeconds(null, null, 0)).toBeNull();
  });
});

describe('rate_limited: the full diagnosis', () => {
  it('with type, Retry-After and detail', () => {
    const input = handMade(
      res(
        429,
        '{"type":"request_throttled","detail":"Request was throttled. Expected available in 42 seconds."}',
        [
          ['content-type', 'application/json'],
          ['retry-after', '40'],
        ],
      ),
    );
    expect(run(rateLimited, input)).toEqual({
      rule: 'rate_limited',
      severity: 'error',
      title: 'PandaDoc is throttling requests (429)',
      cause:
        'Too many requests for this user in the last 60 seconds (PandaDoc counts per user over a sliding window; sandbox API keys get 10 requests a minute per endpoint). The token itself is fine.',
      next: 'Wait 40 s, then try again once; retrying sooner keeps the limit hit.',
      evidence: [
        'HTTP 429 request_throttled',
        'Retry-After: 40',
        'detail: "Request was throttled. Expected available in 42 seconds."',
      ],
      docs: 'https://developers.pandadoc.com/reference/limits',
    });
  });
  it('with nothing to go on', () => {
    expect(run(rateLimited, handMade(res(429, ''), null, 'refresh'))).toEqual({
      rule: 'rate_limited',
      severity: 'error',
      title: 'PandaDoc is throttling requests (429)',
      cause:
        'Too many requests for this user in the last 60 seconds (PandaDoc counts per user over a sliding window; sandbox API keys get 10 requests a minute per endpoint). The token itself is fine.',
      next: 'Wait a minute, then try again once; retrying sooner keeps the limit hit.',
      evidence: ['HTTP 429'],
      docs: 'https://developers.pandadoc.com/reference/limits',
    });
  });
  it('an unreadable Retry-After is quoted, shortened', () => {
    const d = run(rateLimited, handMade(res(429, '', [['Retry-After', 'later, '.repeat(10)]])));
    expect(d?.evidence).toEqual(['HTTP 429', `Retry-After: ${'later, '.repeat(10).slice(0, 39)}…`]);
    expect(d?.next).toMatch(/^Wait a minute/);
  });
  it('not for other statuses', () => {
    expect(run(rateLimited, handMade(res(428, '')))).toBeNull();
  });
});

describe('upstream_5xx: the full diagnosis', () => {
  it('a JSON 500 to a member call', () => {
    const input = handMade({
      ...res(500, '{"detail":"oops"}'),
      statusText: 'Internal Server Error',
    });
    expect(run(upstream5xx, input)).toEqual({
      rule: 'upstream_5xx',
      severity: 'error',
      title: 'api.pandadoc.com had a server error (500)',
      cause: 'The problem is on the server side, not in this request.',
      next: 'Try again in a minute.',
      evidence: ['HTTP 500 Internal Server Error', 'Body as received: {"detail":"oops"}'],
    });
  });
  it('an HTML 502 from a proxy to an exchange, no status text', () => {
    expect(
      run(
        upstream5xx,
        handMade(res(502, '  <html><body>Bad gateway</body></html>', []), null, 'exchange'),
      ),
    ).toEqual({
      rule: 'upstream_5xx',
      severity: 'error',
      title: 'api.pandadoc.com had a server error (502), answered with an HTML error page',
      cause:
        'The problem is on the server side, not in this request. It may or may not have processed the request before failing.',
      next: 'Try again in a minute; if the retry says invalid_grant, the first attempt went through, so authorize again (or use the newest refresh token).',
      evidence: [
        'HTTP 502',
        'The body is an HTML page, so it may come from a proxy or load balancer in front of PandaDoc.',
        'Body as received: <html><body>Bad gateway</body></html>',
      ],
    });
  });
  it('an empty 599', () => {
    expect(run(upstream5xx, handMade(res(599, ''), null, 'refresh'))?.evidence).toEqual([
      'HTTP 599',
      'Body as received: (empty body)',
    ]);
  });
  it('not below 500, nor without an answer', () => {
    expect(run(upstream5xx, handMade(res(499, '')))).toBeNull();
    expect(run(upstream5xx, handMade(null, DNS))).toBeNull();
  });
});

describe('upstream_html: the full diagnosis', () => {
  it('a captive portal answering a member call', () => {
    expect(
      run(
        upstreamHtml,
        handMade(
          res(200, '<!doctype html><title>Login</title>', [
            ['Content-Type', 'text/html; charset=utf-8'],
          ]),
        ),
      ),
    ).toEqual({
      rule: 'upstream_html',
      severity: 'error',
      title: 'HTTP 200: an HTML page came back instead of JSON',
      cause:
        "PandaDoc's API always answers JSON. An HTML page means something else answered: a proxy, a captive portal or firewall login page, or a wrong URL (for instance the app.pandadoc.com web host instead of api.pandadoc.com).",
      next: 'Open https://api.pandadoc.com/public/v1/members/current from this machine and see who answers; check proxy settings.',
      evidence: [
        'Content-Type: text/html; charset=utf-8',
        'Body as received: <!doctype html><title>Login</title>',
      ],
    });
  });
  it('an HTML body without a content type, at the token endpoint, long URL shortened', () => {
    const input = handMade(res(404, '<p>Not found</p>', []), null, 'refresh');
    input.call.request.url = `https://app.pandadoc.com/${'x'.repeat(100)}`;
    expect(run(upstreamHtml, input)).toEqual({
      rule: 'upstream_html',
      severity: 'error',
      title: 'HTTP 404: an HTML page came back instead of JSON',
      cause:
        "PandaDoc's token endpoint always answers JSON. An HTML page means something else answered: a proxy, a captive portal or firewall login page, or a wrong URL (for instance the app.pandadoc.com web host instead of api.pandadoc.com).",
      next: 'Open https://app.pandadoc.com/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… from this machine and see who answers; check proxy settings.',
      evidence: ['Content-Type: (none)', 'Body as received: <p>Not found</p>'],
    });
  });
  it('an HTML content type with an empty body', () => {
    expect(
      run(upstreamHtml, handMade(res(200, '', [['content-type', 'TEXT/HTML']])))?.evidence,
    ).toEqual(['Content-Type: TEXT/HTML', 'Body as received: (empty body)']);
  });
  it('not for JSON', () => {
    expect(run(upstreamHtml, handMade(res(200, '{"a":"<b>"}')))).toBeNull();
  });
});
