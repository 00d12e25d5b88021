// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ExchangeView from './ExchangeView.svelte';
import { HTML, HUGE, NON_ASCII, noAnswer, TOKEN_BODY, tokenAnswer } from './hostileAnswers.ts';

function items(list: string): string[] {
  return within(screen.getByRole('list', { name: list }))
    .getAllByRole('listitem')
    .map((li) => li.textContent ?? '');
}

describe('ExchangeView with answers real servers send', () => {
  it('shows both Set-Cookie headers and both Accept headers, in order', () => {
    render(ExchangeView, { call: tokenAnswer(TOKEN_BODY), label: 'code exchange' });
    expect(items('Response headers').filter((h) => h.startsWith('set-cookie:'))).toEqual([
      'set-cookie: AWSALB=one; Path=/',
      'set-cookie: AWSALBCORS=two; Path=/; SameSite=None; Secure',
    ]);
    expect(items('Request headers')).toEqual([
      'Content-Type: application/x-www-form-urlencoded',
      'Accept: application/json',
      'Accept: text/html',
    ]);
    expect(items('Response headers')).toContain(`x-note: ${NON_ASCII}`);
  });

  it('lists a form field sent twice as two rows', () => {
    render(ExchangeView, { call: tokenAnswer(TOKEN_BODY), label: 'code exchange' });
    const form = screen.getByRole('table', { name: /Form body/ });
    const scopes = within(form).getAllByRole('rowheader', { name: 'scope' });
    expect(scopes).toHaveLength(2);
    // The code is a secret: masked, with a Reveal button named after the field.
    expect(within(form).getByRole('button', { name: 'Reveal request code' })).toBeTruthy();
  });

  it('shows an HTML body as text, never as markup', () => {
    const { container } = render(ExchangeView, {
      call: tokenAnswer(HTML, [['content-type', 'text/html']]),
      testid: 'c',
    });
    expect(container.querySelector('img, script:not([src]), b')).toBeNull();
    expect(screen.getByTestId('c-body').textContent).toBe(HTML);
  });

  it('renders an empty body and a 1 MiB body', () => {
    render(ExchangeView, { call: tokenAnswer(''), testid: 'empty' });
    expect(screen.getByTestId('empty-body').textContent).toBe('');
    render(ExchangeView, { call: tokenAnswer(HUGE), testid: 'huge', label: 'huge' });
    expect(screen.getByTestId('huge-body').textContent).toHaveLength(HUGE.length);
    expect(screen.getByText('Body cut at 1 MiB.')).toBeTruthy();
  });

  it('says when no answer came, with duplicate request headers', () => {
    render(ExchangeView, { call: noAnswer(), testid: 'v' });
    expect(screen.getByTestId('v-status').textContent).toBe('timed out');
    expect(screen.getByTestId('v-failure').textContent).toMatch(/did not answer/);
    expect(screen.queryByRole('list', { name: 'Response headers' })).toBeNull();
    // Bearer tokens in request headers stay masked, both of them.
    expect(items('Request headers').every((h) => !h.includes('c'.repeat(40)))).toBe(true);
    expect(items('Request headers')).toHaveLength(2);
  });
});
