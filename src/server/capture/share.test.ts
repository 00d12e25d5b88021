import { describe, expect, it } from 'vitest';
import type { CapturedCall } from '../../lib/api/traffic.ts';
import { capturedCall } from './fixtures.ts';
import { CaptureRing } from './ring.ts';
import { repeatsNewest, shareWithPrevious } from './share.ts';

const call = (i: number, seq: number): CapturedCall => ({ ...capturedCall(i), seq });

describe('shareWithPrevious', () => {
  it('shares the request and response of a call equal to the one before, field for field', () => {
    const before = call(1, 1);
    // Built afresh, as every sink builds a call: equal, not the same objects.
    const again = { ...call(1, 2), startedAt: before.startedAt + 5, durationMs: 9 };
    expect(again.request).not.toBe(before.request);
    expect(shareWithPrevious(again, before)).toBe(true);
    expect(again.request).toBe(before.request);
    expect(again.response).toBe(before.response);
    // Its own times and number stay its own.
    expect(again).toMatchObject({ seq: 2, durationMs: 9, startedAt: before.startedAt + 5 });
  });

  it('shares nothing that differs: a body, a header value, a header order, a status', () => {
    const before = call(1, 1);
    const otherBody = call(2, 2);
    expect(shareWithPrevious(otherBody, before)).toBe(false);
    expect(otherBody.request).not.toBe(before.request);
    expect(otherBody.request.body).toContain('code=0000000000000000000000000000000000000002');
    // Another request with the same answer: the answer alone is shared (capturedCall answers
    // every code alike).
    expect(otherBody.response).toBe(before.response);

    const dated = (date: string): CapturedCall => {
      const c = call(1, 3);
      c.response!.headers = [...c.response!.headers, ['date', date]];
      return c;
    };
    const first = dated('Sun, 29 Nov 2026 00:51:07 GMT');
    const next = dated('Sun, 29 Nov 2026 00:51:08 GMT');
    expect(shareWithPrevious(next, first)).toBe(false);
    expect(next.request).toBe(first.request);
    expect(next.response).not.toBe(first.response);
    expect(next.response!.headers.at(-1)).toEqual(['date', 'Sun, 29 Nov 2026 00:51:08 GMT']);

    const reordered = call(1, 4);
    reordered.request.headers = [['accept', '*/*'], ...before.request.headers];
    const base = { ...call(1, 5) };
    base.request.headers = [...before.request.headers, ['accept', '*/*']];
    expect(shareWithPrevious(reordered, base)).toBe(false);
    expect(reordered.request.headers[0]).toEqual(['accept', '*/*']);

    const failed = call(1, 6);
    failed.response = { ...failed.response!, status: 500 };
    expect(shareWithPrevious(failed, before)).toBe(false);
    expect(failed.response.status).toBe(500);

    const none = { ...call(1, 7), response: null };
    expect(shareWithPrevious(none, before)).toBe(false);
    expect(none.response).toBeNull();
  });

  it('lets a ring of 10,000 like calls hold one copy of their request and response', () => {
    const ring = new CaptureRing({ maxCalls: 1000 });
    for (let i = 0; i < 10_000; i++) ring.add({ ...capturedCall(7), durationMs: i });
    const held = ring.list();
    expect(held).toHaveLength(1000);
    expect(new Set(held.map((c) => c.request)).size).toBe(1);
    expect(new Set(held.map((c) => c.response)).size).toBe(1);
    expect(held.map((c) => c.durationMs).slice(0, 2)).toEqual([9000, 9001]);
  });
});

describe('repeatsNewest', () => {
  type Call = Omit<CapturedCall, 'seq'>;
  /**
   * The ring's newest call once it keeps `kept`, and the parts of a call `sent`: its strings built
   * afresh, its header lists the newest call's own (as HeaderList hands them back when equal).
   */
  const setup = (kept: Call = capturedCall(1), sent: Call = capturedCall(1)) => {
    const ring = new CaptureRing();
    ring.add(kept);
    const newest = ring.newest!;
    const request = {
      method: sent.request.method,
      url: `${sent.request.url}`,
      headers: newest.request.headers,
      environment: sent.upstream,
      localPath: `${sent.localPath}`,
      userAgent: sent.userAgent,
    };
    const response = {
      ...sent.response!,
      headers: newest.response?.headers ?? sent.response!.headers,
      body: `${sent.response!.body}`,
    };
    return { newest, request, body: sent.request.body, response };
  };

  it('is true for a call exactly like the newest one, its strings built afresh', () => {
    const { newest, request, body, response } = setup();
    expect(repeatsNewest(newest, request, body, false, response)).toBe(true);
  });

  it('is false when any field differs', () => {
    const { newest, request, body, response } = setup();
    const no = (changed: Partial<typeof request>, extra: Partial<typeof response> = {}) =>
      expect(
        repeatsNewest(newest, { ...request, ...changed }, body, false, { ...response, ...extra }),
      ).toBe(false);
    no({ method: 'PUT' });
    no({ url: `${request.url}?x=1` });
    no({ environment: 'us' });
    no({ localPath: '/us/oauth2/access_token' });
    no({ userAgent: null });
    no({}, { status: 401 });
    no({}, { statusText: 'Nope' });
    no({}, { body: '{"error":"invalid_client"}' });
    no({}, { truncated: true });
    expect(repeatsNewest(newest, request, `${body}x`, false, response)).toBe(false);
    expect(repeatsNewest(newest, request, null, false, response)).toBe(false);
    expect(repeatsNewest(newest, request, body, true, response)).toBe(false);
  });

  it('is false when the newest differs in any field a call has beyond its request and answer', () => {
    // Every such field of a captured call, so a field added to calls and not to repeatsNewest fails.
    const base: Call = { ...capturedCall(1), refused: undefined };
    const times = ['seq', 'startedAt', 'durationMs', 'request', 'response'];
    const fields = Object.keys(base).filter((k) => !times.includes(k));
    expect(fields.sort()).toEqual(
      ['failure', 'localPath', 'refused', 'requestBodyTruncated', 'upstream', 'userAgent'].sort(),
    );
    const other = (value: unknown) =>
      typeof value === 'string'
        ? `${value}-other`
        : typeof value === 'boolean'
          ? !value
          : { kind: 'timeout', message: 'other' };
    const same = setup(base, base);
    expect(repeatsNewest(same.newest, same.request, same.body, false, same.response)).toBe(true);
    for (const field of fields) {
      const changed = { ...base, [field]: other(base[field as keyof Call]) } as Call;
      const { newest, request, body, response } = setup(changed, base);
      expect(repeatsNewest(newest, request, body, false, response), field).toBe(false);
    }
  });

  it('takes header lists only as the very same list, not an equal copy', () => {
    const { newest, request, body, response } = setup();
    const copy = newest.request.headers.map(([k, v]) => [k, v] as [string, string]);
    expect(repeatsNewest(newest, { ...request, headers: copy }, body, false, response)).toBe(false);
    const answerCopy = response.headers.map(([k, v]) => [k, v] as [string, string]);
    expect(repeatsNewest(newest, request, body, false, { ...response, headers: answerCopy })).toBe(
      false,
    );
  });

  it('is false when the newest call failed, was refused or has no answer', () => {
    const no = (kept: Call) => {
      const { newest, request, body, response } = setup(kept);
      expect(repeatsNewest(newest, request, body, false, response)).toBe(false);
    };
    // A partial answer that broke off: the same answer so far, and a failure.
    no({ ...capturedCall(1), failure: { kind: 'unreachable', message: 'closed' } });
    no({ ...capturedCall(1), refused: { kind: 'method', reason: 'TRACE' } });
    no({ ...capturedCall(1), response: null });
  });
});
