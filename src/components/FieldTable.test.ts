// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import FieldTable from './FieldTable.svelte';
import { HTML, NON_ASCII, unknownField } from './hostileAnswers.ts';
import type { ExplainedField } from '../lib/oauth/tokenResponse.ts';

const field = (
  name: string,
  value: string,
  more: Partial<ExplainedField> = {},
): ExplainedField => ({
  name,
  value,
  explanation: `about ${name}`,
  secret: false,
  known: true,
  ...more,
});

describe('FieldTable', () => {
  it('shows a field twice when the answer repeats it', () => {
    render(FieldTable, {
      fields: [field('x', '1', { known: false }), field('x', '2', { known: false })],
      caption: 'Token response fields',
    });
    const table = screen.getByRole('table', { name: 'Token response fields' });
    const rows = within(table).getAllByRole('rowheader', { name: /^x/ });
    expect(rows.map((r) => r.textContent)).toEqual(['xunknown', 'xunknown']);
    expect(within(table).getByRole('cell', { name: '1' })).toBeTruthy();
    expect(within(table).getByRole('cell', { name: '2' })).toBeTruthy();
  });

  it('shows HTML and non-ASCII names and values as text', () => {
    const { container } = render(FieldTable, {
      fields: [field(NON_ASCII, HTML, { known: false }), field('empty', '')],
      caption: 'members/current fields',
    });
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(screen.getByRole('cell', { name: HTML })).toBeTruthy();
    expect(screen.getByRole('rowheader', { name: unknownField(NON_ASCII) })).toBeTruthy();
  });

  it('masks secrets behind a Reveal button named after the field', () => {
    render(FieldTable, {
      fields: [field('access_token', 'a'.repeat(40), { secret: true })],
      caption: 'Token response fields',
    });
    expect(screen.queryByText('a'.repeat(40))).toBeNull();
    expect(screen.getByRole('button', { name: 'Reveal access_token' })).toBeTruthy();
  });
});
