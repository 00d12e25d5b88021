import { describe, expect, it } from 'vitest';
import { SimSession } from './fixtures.ts';
import { DOCS, triage } from './index.ts';

describe('triage: successful calls', () => {
  it('says nothing about a clean exchange, refresh and member call', async () => {
    const s = new SimSession();
    const code = await s.authorize();
    const ex = await s.exchange(code.value);
    expect(ex.response?.status).toBe(200);
    expect(triage(await s.input('exchange', ex, { code }))).toBeNull();
    const { access, refresh } = SimSession.tokens(ex);
    const me = await s.verify(access);
    expect(triage(await s.input('verify', me, { accessToken: access }))).toBeNull();
    const rf = await s.refresh(refresh);
    expect(triage(await s.input('refresh', rf, { refreshToken: refresh }))).toBeNull();
  });
});

describe('DOCS: every reference a diagnosis cites', () => {
  it('is a PandaDoc reference page or an RFC section', () => {
    for (const [name, url] of Object.entries(DOCS))
      expect([name, url]).toEqual([
        name,
        expect.stringMatching(
          /^https:\/\/(developers\.pandadoc\.com\/reference\/[a-z-]+|www\.rfc-editor\.org\/rfc\/rfc\d+#(section-[\d.]+|appendix-[A-Z]))$/,
        ),
      ]);
    expect(Object.keys(DOCS)).toHaveLength(14);
  });
});
