import { ApiException } from 'pandadoc-node-client';
import { describe, expect, it } from 'vitest';
import { diagnoseEvidence } from './diagnose.ts';
import { parseCurl, shellWords } from './parseCurl.ts';
import { parseHttp } from './parseHttp.ts';
import { parseSdkError } from './parseSdkError.ts';
import { readEvidenceText } from './readText.ts';

function read(text: string) {
  const r = readEvidenceText(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.evidence;
}

const CODE = '0123456789abcdef0123456789abcdef01234567';

describe('curl', () => {
  it('splits shell words like a POSIX shell (and cmd continuations)', () => {
    expect(shellWords(`curl 'a b' "c \\"d\\"" $'e\\nf' g\\ h \\\n -X`)).toEqual([
      'curl',
      'a b',
      'c "d"',
      'e\nf',
      'g h',
      '-X',
    ]);
    expect(shellWords('curl ^\n "https://x" ^\n -H "A: b"')).toEqual([
      'curl',
      'https://x',
      '-H',
      'A: b',
    ]);
  });

  it('reads method, URL, headers and a form body', () => {
    const r = parseCurl(
      `curl -sS https://api.pandadoc.com/oauth2/access_token -H 'Accept: application/json' --data-urlencode 'grant_type=authorization_code' --data-urlencode "code=${CODE}" -d client_id=abc`,
    );
    expect(r.ok && r.request).toEqual({
      method: 'POST',
      url: 'https://api.pandadoc.com/oauth2/access_token',
      headers: [
        ['Accept', 'application/json'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      body: `grant_type=authorization_code&code=${CODE}&client_id=abc`,
    });
  });

  it('--json is a JSON body; -G moves data into the query; no URL is an error', () => {
    const j = parseCurl(
      `curl --json '{"grant_type":"refresh_token"}' https://api.pandadoc.eu/oauth2/access_token`,
    );
    expect(j.ok && j.request.headers).toContainEqual(['Content-Type', 'application/json']);
    const g = parseCurl('curl -G -d a=1 https://x.example/p');
    expect(g.ok && [g.request.method, g.request.url, g.request.body]).toEqual([
      'GET',
      'https://x.example/p?a=1',
      null,
    ]);
    expect(parseCurl('curl -X POST')).toEqual({
      ok: false,
      message: 'The curl command has no URL.',
    });
  });
});

describe('raw HTTP', () => {
  it('curl -v output: > request, < response, then the body', () => {
    const text = [
      '*   Trying 1.2.3.4:443...',
      '> POST /oauth2/access_token HTTP/2',
      '> Host: api.pandadoc.com',
      '> content-type: application/x-www-form-urlencoded',
      '>',
      '< HTTP/2 400',
      '< content-type: application/json',
      '< date: Mon, 06 Jan 2025 10:31:05 GMT',
      '<',
      '{ [27 bytes data]',
      '{"error":"invalid_grant"}',
    ].join('\n');
    const r = parseHttp(text);
    expect(r?.request?.url).toBe('https://api.pandadoc.com/oauth2/access_token');
    expect(r?.response?.status).toBe(400);
    expect(r?.response?.body).toBe('{"error":"invalid_grant"}');
  });

  it('a plain dump with both halves', () => {
    const r = parseHttp(
      'GET /public/v1/members/current HTTP/1.1\nHost: api.pandadoc.com\nAuthorization: Bearer abc\n\nHTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{"type":"authentication_error"}',
    );
    expect(r?.request?.headers).toContainEqual(['Authorization', 'Bearer abc']);
    expect(r?.response?.statusText).toBe('Unauthorized');
  });
});

describe('SDK error', () => {
  const real = new ApiException(
    400,
    'Bad Request',
    { error: 'invalid_grant' },
    {
      'content-type': 'application/json',
      date: 'Mon, 06 Jan 2025 10:31:05 GMT',
    },
  );

  it('reads the exact text the SDK prints, and its one-line form', () => {
    for (const text of [
      real.message,
      `ApiException [Error]: ${real.message}\n    at x (y.js:1:2)`,
      real.message.replace(/\n/g, ' '),
    ]) {
      const r = parseSdkError(text);
      expect(r?.response.status).toBe(400);
      expect(r?.response.body).toBe('{"error":"invalid_grant"}');
      expect(r?.response.headers).toContainEqual(['content-type', 'application/json']);
    }
  });

  it('diagnoses it as a token call of unknown grant, dated by its Date header', async () => {
    const e = read(real.message);
    expect(e.source).toBe('sdk_error');
    expect(e.detail).toBe('HTTP 400 “Bad Request”');
    const r = await diagnoseEvidence(e);
    expect(r.timeline[0]?.kind).toBe('token');
    expect(r.timeline[0]?.at).toBe(Date.UTC(2025, 0, 6, 10, 31, 5));
    expect(r.diagnoses[0]?.title).toBe(
      'PandaDoc refused the code or refresh token (invalid_grant)',
    );
  });
});

describe('readEvidenceText: detection', () => {
  it('says which form each paste is', () => {
    expect(read(`curl https://api.pandadoc.com/oauth2/access_token -d code=${CODE}`).source).toBe(
      'curl',
    );
    expect(read('HTTP/1.1 401 Unauthorized\n\n{"type":"authentication_error"}').source).toBe(
      'http',
    );
    expect(read('{"error":"invalid_grant"}').source).toBe('json_body');
    expect(
      read('https://app.pandadoc.com/oauth2/authorize?client_id=a&response_type=code').source,
    ).toBe('authorize_url');
    expect(read(`https://app.example/cb?state=s&code=${CODE}`).source).toBe('redirect_url');
    expect(read(`?state=&code=${CODE}`).source).toBe('redirect_url');
    expect(read('{"log":{"version":"1.2","entries":[]}}').source).toBe('har');
  });

  it('a bare JSON body: status assumed and said', async () => {
    const e = read('{"error":"invalid_grant"}');
    expect(e.notes[0]).toContain('status 400 is assumed');
    const r = await diagnoseEvidence(e);
    expect(r.timeline[0]?.summary).toBe('400 invalid_grant');
  });

  it('a JSON token request body is the json_body finding', async () => {
    const r = await diagnoseEvidence(read(`{"grant_type":"authorization_code","code":"${CODE}"}`));
    expect(r.diagnoses.map((d) => d.rule)).toContain('json_body');
    expect(r.timeline[0]?.summary).toBe('request only: the evidence has no answer');
  });

  it('an authorize URL and its redirect, pasted together', async () => {
    const r = await diagnoseEvidence(
      read(
        `https://app.pandadoc.com/oauth2/authorize?client_id=a&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&state=s1\nhttps://app.example/cb?state=s2&code=${CODE}`,
      ),
    );
    expect(r.timeline.map((t) => t.kind)).toEqual(['authorize', 'callback']);
    expect(r.diagnoses.map((d) => d.rule)).toContain('state_mismatch');
  });

  it('refuses anything else with a specific message', () => {
    const msg = (t: string) => {
      const r = readEvidenceText(t);
      return r.ok ? '' : `${r.error.code}: ${r.error.message}`;
    };
    expect(msg('  ')).toBe('empty: Nothing was pasted.');
    expect(msg('hello there')).toMatch(
      /^unrecognised: This paste is none of the accepted forms.*It starts "hello there"/,
    );
    expect(msg(CODE)).toContain('bare code or token');
    expect(msg('{"a":1}')).toBe(
      'unrecognised: This is JSON, but neither a HAR (no "log") nor a PandaDoc request or answer (no "error", "access_token", "grant_type" or "type" field); its fields are "a".',
    );
    expect(msg('{"error": "inv')).toMatch(/^not_json: This starts like JSON but is not valid JSON/);
    expect(msg('curl -s')).toBe(
      'unrecognised: This looks like a curl command, but: The curl command has no URL.',
    );
  });
});
