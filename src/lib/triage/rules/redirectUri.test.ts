import { describe, expect, it } from 'vitest';
import { SimSession } from '../fixtures.ts';
import { triageAll } from '../index.ts';
import { diagnose } from '../testHelpers.ts';

describe('triage: redirect_uri at the exchange', () => {
  it('redirect_uri_changed: a warning on a successful exchange, naming the difference', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const ex = await s.exchange(code.value, { redirect_uri: 'http://127.0.0.1:5173/callback/' });
    expect(ex.response?.status).toBe(200);
    const d = await diagnose(await s.input('exchange', ex, { code }), s);
    expect(d.rule).toBe('redirect_uri_changed');
    expect(d.severity).toBe('warning');
    expect(d.evidence).toContain('Trailing slash: only the second ends the path with "/".');
  });

  it('redirect_uri_changed comes after the error when the exchange also failed', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    await s.exchange(code.value);
    const ex = await s.exchange(code.value, { redirect_uri: 'https://127.0.0.1:5173/callback' });
    const all = triageAll(await s.input('exchange', ex, { code }));
    expect(all.map((d) => d.rule)).toEqual(['code_reused', 'redirect_uri_changed']);
    expect(all[1]?.evidence).toContain('Scheme: http vs https.');
  });
});
