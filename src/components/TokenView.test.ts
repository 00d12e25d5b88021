// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import TokenView from './TokenView.svelte';
import { HTML, NON_ASCII, unknownField } from './hostileAnswers.ts';
import type { TokenSet } from '../lib/oauth/tokenResponse.ts';

const AT = Date.UTC(2026, 10, 28, 12, 0, 0);
const tokens = (more: Partial<TokenSet> = {}): TokenSet => ({
  accessToken: 'a'.repeat(40),
  refreshToken: 'b'.repeat(40),
  tokenType: 'Bearer',
  expiresIn: 3600,
  scope: 'read write read+write',
  receivedAt: AT,
  expiresAt: AT + 3_600_000,
  extra: {},
  ...more,
});
const scopeItems = () =>
  within(screen.getByRole('list'))
    .getAllByRole('listitem')
    .map((li) => li.textContent);

describe('TokenView', () => {
  it('lists a scope the answer repeats ("read read") twice, without crashing', () => {
    render(TokenView, { tokens: tokens({ scope: 'read read' }), now: AT });
    expect(scopeItems()).toHaveLength(2);
    expect(scopeItems()[0]).toMatch(/^read: view documents/);
  });

  it('names each scope once: "read: view …", not "read: read: view …"', () => {
    render(TokenView, { tokens: tokens(), now: AT });
    const items = scopeItems();
    expect(items.map((t) => t?.split(':')[0])).toEqual(['read', 'write', 'read+write']);
    for (const text of items) expect(text).not.toMatch(/^([^:]+): \1:/);
  });

  it('explains an unknown scope and unknown fields, shown as text', () => {
    const { container } = render(TokenView, {
      tokens: tokens({ scope: `openid ${NON_ASCII}`, extra: { [NON_ASCII]: HTML, id_token: 'x' } }),
      now: AT,
    });
    expect(scopeItems()[0]).toMatch(/^openid: "openid" is not a PandaDoc scope/);
    const table = screen.getByRole('table', { name: 'Token response fields' });
    expect(within(table).getByRole('rowheader', { name: unknownField(NON_ASCII) })).toBeTruthy();
    expect(container.querySelector('img, script, b')).toBeNull();
  });

  it('says so when the answer has no scope and no expiry', () => {
    render(TokenView, {
      tokens: tokens({ scope: null, expiresIn: null, expiresAt: null }),
      now: AT,
    });
    expect(screen.getByTestId('granted-scopes').textContent).toBe('none named in the answer');
    expect(screen.getByTestId('expiry').textContent?.trim()).toBe('no expires_in in the answer');
  });

  it('writes every time in the panel the same way', () => {
    render(TokenView, { tokens: tokens(), now: AT });
    const local = new Date(AT + 3_600_000).toLocaleString();
    expect(screen.getByTestId('expiry').textContent).toContain(local);
    const row = screen.getByRole('rowheader', { name: 'expires_in' }).closest('tr')!;
    expect(row.textContent).toContain(local);
    expect(row.textContent).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });
});
