import { describe, expect, it } from 'vitest';
import type { CapturedCall } from '../../lib/api/traffic.ts';
import { capturedCall } from './fixtures.ts';
import { CaptureRing } from './ring.ts';
import { shareWithPrevious } from './share.ts';

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
