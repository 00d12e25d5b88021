// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Diagnoses from './Diagnoses.svelte';
import { HTML } from './hostileAnswers.ts';
import type { Diagnosis } from '../lib/triage/types.ts';

const diagnosis = (title: string, more: Partial<Diagnosis> = {}): Diagnosis => ({
  rule: 'invalid_grant_unclear',
  severity: 'error',
  title,
  cause: 'cause',
  next: 'next',
  evidence: ['same fact', 'same fact'],
  ...more,
});

describe('Diagnoses', () => {
  it('shows two diagnoses of one rule, each with a repeated fact', () => {
    render(Diagnoses, { diagnoses: [diagnosis('First'), diagnosis('Second')] });
    const alerts = screen.getAllByRole('alert');
    expect(alerts.map((a) => a.querySelector('strong')?.textContent)).toEqual(['First', 'Second']);
    for (const alert of alerts) expect(within(alert).getAllByRole('listitem')).toHaveLength(2);
  });

  it('shows a warning as a status, and HTML in a title as text', () => {
    const { container } = render(Diagnoses, {
      diagnoses: [diagnosis(HTML, { severity: 'warning', evidence: [], docs: 'https://x.test/' })],
    });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain(HTML);
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(screen.getByRole('link', { name: /Reference/ }).getAttribute('href')).toBe(
      'https://x.test/',
    );
  });
});
