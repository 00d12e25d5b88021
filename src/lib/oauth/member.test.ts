import { describe, expect, it } from 'vitest';
import { memberEmailVerified, parseMemberResponse, type MemberResponseResult } from './member.ts';

const EXAMPLE = {
  user_id: 'FA5QAu8UGA3oVDDZuPL75B',
  membership_id: 'RyMNXBjBPRppi56TfYBrXi',
  email: 'siarhei@pandadoc.com',
  first_name: 'Siarhei',
  last_name: '',
  is_active: true,
  workspace: 'n7SK7prHeoWJSXb9VkrPve',
  workspace_name: 'Workspace',
  email_verified: true,
  role: 'Admin',
  user_license: 'Full',
  date_created: '2023-08-03T11:49:16.364213Z',
  date_modified: '2024-07-11T20:36:43.362526Z',
};

function headers(h: Record<string, string> = { 'content-type': 'application/json' }) {
  const lower = Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (name: string) => lower[name.toLowerCase()] ?? null };
}

function ok(r: MemberResponseResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.kind}`);
  return r;
}

describe('parseMemberResponse: success', () => {
  it('summarises the documented example', () => {
    const r = ok(parseMemberResponse(200, headers(), JSON.stringify(EXAMPLE)));
    expect(r.member).toEqual(EXAMPLE);
    expect(r.summary).toEqual({
      name: 'Siarhei',
      email: 'siarhei@pandadoc.com',
      workspaceName: 'Workspace',
      workspaceId: 'n7SK7prHeoWJSXb9VkrPve',
      role: 'Admin',
    });
  });

  it('explains every field in PandaDoc order', () => {
    const r = ok(parseMemberResponse(200, headers(), JSON.stringify(EXAMPLE)));
    expect(r.fields.map((f) => f.name)).toEqual(Object.keys(EXAMPLE));
    const by = Object.fromEntries(r.fields.map((f) => [f.name, f]));
    expect(by.user_id?.explanation).toMatch(/organization/);
    expect(by.membership_id?.explanation).toMatch(/workspace/);
    expect(by.email_verified?.explanation).toMatch(/emails_verified/);
    expect(by.user_license?.explanation).toMatch(/Read-only/);
    expect(by.is_active).toMatchObject({ value: 'true', known: true, secret: false });
    expect(by.last_name?.value).toBe('');
  });

  it('keeps unknown fields, marked unknown', () => {
    const body = { ...EXAMPLE, avatar: { url: 'x' }, emails_verified: false };
    const r = ok(parseMemberResponse(200, headers(), JSON.stringify(body)));
    const by = Object.fromEntries(r.fields.map((f) => [f.name, f]));
    expect(by.avatar).toMatchObject({ value: '{"url":"x"}', known: false });
    expect(by.emails_verified?.known).toBe(true);
    expect(r.fields.at(-1)?.name).toBe('avatar');
  });

  it('falls back to email, then user_id, for the name', () => {
    const noName = { ...EXAMPLE, first_name: '', last_name: '' };
    expect(ok(parseMemberResponse(200, headers(), JSON.stringify(noName))).summary.name).toBe(
      EXAMPLE.email,
    );
    const bare = { user_id: 'U1' };
    const r = ok(parseMemberResponse(200, headers(), JSON.stringify(bare)));
    expect(r.summary).toEqual({
      name: 'U1',
      email: null,
      workspaceName: null,
      workspaceId: null,
      role: null,
    });
  });
});

describe('parseMemberResponse: failures', () => {
  it('reads a 401 authentication_error', () => {
    const body = {
      type: 'authentication_error',
      detail: 'Authentication credentials were not provided.',
    };
    expect(parseMemberResponse(401, headers(), JSON.stringify(body))).toEqual({
      ok: false,
      kind: 'api_error',
      status: 401,
      type: 'authentication_error',
      detail: 'Authentication credentials were not provided.',
    });
  });

  it('reads a 429 with Retry-After', () => {
    const body = { type: 'throttled', detail: 'Request was throttled.' };
    const r = parseMemberResponse(429, headers({ 'Retry-After': '13' }), JSON.stringify(body));
    expect(r).toMatchObject({ kind: 'api_error', type: 'throttled', retryAfter: '13' });
    const noHeader = parseMemberResponse(429, headers(), JSON.stringify(body));
    expect(noHeader).toMatchObject({ retryAfter: null });
  });

  it('reads an error body without type or detail', () => {
    expect(parseMemberResponse(403, headers(), '[]')).toMatchObject({
      kind: 'api_error',
      status: 403,
      type: null,
      detail: null,
    });
  });

  it('spots HTML, non-JSON and empty bodies', () => {
    expect(parseMemberResponse(200, headers({ 'content-type': 'text/html' }), 'x')).toMatchObject({
      kind: 'html',
    });
    expect(parseMemberResponse(502, headers(), '<html>')).toMatchObject({
      kind: 'html',
      status: 502,
    });
    expect(parseMemberResponse(200, headers(), 'nope')).toMatchObject({ kind: 'not_json' });
    expect(parseMemberResponse(204, headers(), '')).toMatchObject({ kind: 'not_json' });
  });

  it('calls non-member JSON malformed', () => {
    expect(parseMemberResponse(200, headers(), '[1]')).toMatchObject({ kind: 'malformed' });
    const r = parseMemberResponse(200, headers(), '{"results":[]}');
    expect(r).toMatchObject({ kind: 'malformed' });
    if (!r.ok && r.kind === 'malformed') expect(r.message).toMatch(/neither user_id nor email/);
  });
});

describe('memberEmailVerified', () => {
  it('reads either spelling', () => {
    expect(memberEmailVerified({ email_verified: true })).toBe(true);
    expect(memberEmailVerified({ emails_verified: false })).toBe(false);
    expect(memberEmailVerified({})).toBeNull();
  });
});

describe('parseMemberResponse: each field explained, edges read exactly', () => {
  it('explains every documented field in its own words', () => {
    const fields = ok(parseMemberResponse(200, headers(), JSON.stringify(EXAMPLE))).fields;
    const said = Object.fromEntries(fields.map((f) => [f.name, f.explanation]));
    expect(said).toMatchObject({
      user_id: expect.stringMatching(/user in the organization/),
      membership_id: expect.stringMatching(/different membership_id in each workspace/),
      email: expect.stringMatching(/email address/),
      first_name: expect.stringMatching(/first name/),
      last_name: expect.stringMatching(/last name \(may be empty\)/),
      is_active: expect.stringMatching(/active in the workspace and not blocked/),
      workspace: expect.stringMatching(/current active workspace; API calls/),
      workspace_name: expect.stringMatching(/Name of the user's current active workspace/),
      email_verified: expect.stringMatching(/emails_verified \(with an s\)/),
      role: expect.stringMatching(/Admin, Manager or Member/),
      user_license: expect.stringMatching(/Full \(Standard\), Read-only/),
      date_created: expect.stringMatching(/added to the workspace/),
      date_modified: expect.stringMatching(/last changed/),
    });
    expect(fields.every((f) => f.secret === false)).toBe(true);
    expect(fields.every((f) => f.known)).toBe(true);
    const sdkSpelling = ok(
      parseMemberResponse(
        200,
        headers(),
        JSON.stringify({ email: 'a@b.c', emails_verified: true }),
      ),
    ).fields.find((f) => f.name === 'emails_verified');
    expect(sdkSpelling).toMatchObject({
      known: true,
      value: 'true',
      explanation: expect.stringMatching(/SDK models' spelling/),
    });
  });

  it('shows non-string values as JSON and marks unknown fields as kept as they arrived', () => {
    const body = { email: 'a@b.c', extra: { a: [1] }, flag: null };
    const fields = ok(parseMemberResponse(200, headers(), JSON.stringify(body))).fields;
    expect(fields.find((f) => f.name === 'extra')).toEqual({
      name: 'extra',
      value: '{"a":[1]}',
      explanation: "Not in PandaDoc's documentation of this endpoint; kept as it arrived.",
      secret: false,
      known: false,
    });
    expect(fields.find((f) => f.name === 'flag')?.value).toBe('null');
  });

  it('takes every 2xx as an answer and everything else as an error', () => {
    const body = JSON.stringify(EXAMPLE);
    expect(parseMemberResponse(299, headers(), body).ok).toBe(true);
    expect(parseMemberResponse(300, headers(), body)).toMatchObject({
      ok: false,
      kind: 'api_error',
    });
    expect(parseMemberResponse(199, headers(), body)).toMatchObject({
      ok: false,
      kind: 'api_error',
    });
  });

  it('names empty strings as absent and joins first and last name', () => {
    const r = ok(
      parseMemberResponse(
        200,
        headers(),
        JSON.stringify({
          ...EXAMPLE,
          first_name: 'Ada',
          last_name: 'Lovelace',
          workspace_name: '',
          role: '',
        }),
      ),
    );
    expect(r.summary).toEqual({
      name: 'Ada Lovelace',
      email: EXAMPLE.email,
      workspaceName: null,
      workspaceId: EXAMPLE.workspace,
      role: null,
    });
    const onlyLast = ok(
      parseMemberResponse(
        200,
        headers(),
        JSON.stringify({ email: 'a@b.c', first_name: 7, last_name: 'Solo' }),
      ),
    );
    expect(onlyLast.summary.name).toBe('Solo');
    const noName = ok(parseMemberResponse(200, headers(), JSON.stringify({ user_id: 'U' })));
    expect(noName.summary).toMatchObject({ name: 'U', email: null });
    const nothing = ok(parseMemberResponse(200, headers(), JSON.stringify({ email: '' })));
    expect(nothing.summary.name).toBe('(no name)');
  });

  it("keeps an error body's type and detail only when they are non-empty strings", () => {
    const r = parseMemberResponse(401, headers(), JSON.stringify({ type: '', detail: 5 }));
    expect(r).toEqual({ ok: false, kind: 'api_error', status: 401, type: null, detail: null });
    // Retry-After is read on any error that carries it, not only on 429.
    const withHeader = parseMemberResponse(503, headers({ 'retry-after': '30' }), '{}');
    expect(withHeader).toMatchObject({ retryAfter: '30' });
    expect(parseMemberResponse(401, headers(), '{}')).not.toHaveProperty('retryAfter');
  });

  it('says what JSON it got instead of a member', () => {
    const r = parseMemberResponse(200, headers(), '"text"');
    expect(r).toMatchObject({
      kind: 'malformed',
      message: 'HTTP 200: the body is JSON but a string, not an object.',
    });
    const html = parseMemberResponse(200, headers({ 'content-type': 'text/html' }), 'x');
    expect(html).toMatchObject({ message: expect.stringMatching(/wrong API base URL/) });
  });
});
