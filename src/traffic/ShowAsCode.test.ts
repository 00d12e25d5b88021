// @vitest-environment happy-dom
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { UpstreamExchange } from '../lib/api/wire.ts';
import ShowAsCode from './ShowAsCode.svelte';

const call = (url: string, body: string | null = null): UpstreamExchange => ({
  startedAt: 0,
  durationMs: 1,
  request: {
    method: body ? 'POST' : 'GET',
    url,
    headers: body ? [['Content-Type', 'application/x-www-form-urlencoded']] : [],
    body,
  },
  response: null,
  failure: null,
});

describe('ShowAsCode', () => {
  it('shows the SDK code first, and the arrow keys move between the tabs', async () => {
    render(ShowAsCode, {
      call: call(
        'http://127.0.0.1:5173/sim/oauth2/access_token',
        'grant_type=authorization_code&client_id=app&client_secret=hunter2-secret&code=c0ffee',
      ),
      label: 'code exchange',
    });
    const sdk = screen.getByRole('tab', { name: 'TypeScript (SDK)' });
    expect(sdk.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').textContent).toContain('OAuth20AuthenticationApi');
    expect(screen.getByRole('tabpanel').textContent).not.toContain('hunter2-secret');
    await fireEvent.keyDown(sdk, { key: 'ArrowRight' });
    const fetchTab = screen.getByRole('tab', { name: 'fetch (Node 18+)' });
    expect(fetchTab.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(fetchTab);
    expect(screen.getByRole('tabpanel').textContent).toContain('new URLSearchParams({');
    await fireEvent.keyDown(fetchTab, { key: 'End' });
    expect(screen.getByRole('tabpanel').textContent).toContain('$CLIENT_SECRET');
    await fireEvent.keyDown(screen.getByRole('tab', { name: 'curl' }), { key: 'ArrowRight' });
    expect(
      screen.getByRole('tab', { name: 'TypeScript (SDK)' }).getAttribute('aria-selected'),
    ).toBe('true');
  });

  it('offers only the tabs that make sense for the call', () => {
    render(ShowAsCode, {
      call: call('https://api.pandadoc.com/public/v1/documents'),
      label: 'documents',
    });
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual([
      'fetch (Node 18+)',
      'curl',
    ]);
  });
});
