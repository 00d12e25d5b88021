// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import AppContextFixture from './AppContextFixture.svelte';
import CodeStep from './CodeStep.svelte';
import { DebuggerState } from '../lib/debugger.svelte.ts';
import { emptySession } from '../lib/storage/index.ts';
import { HTML } from '../components/hostileAnswers.ts';

const CODE = '0123456789abcdef0123456789abcdef01234567';

function withCapturedCode(warnings: string[]): DebuggerState {
  const app = new DebuggerState();
  app.flow.session = {
    ...emptySession(),
    code: {
      value: CODE,
      state: 's',
      capturedAt: Date.now(),
      source: 'callback',
      exchangedAt: null,
    },
  };
  app.flow.callbackResult = { ok: true, code: CODE, state: 's', stateCheck: 'matched', warnings };
  return app;
}

describe('CodeStep, what the capture found', () => {
  it('lists a warning given twice, twice, and HTML in it as text', () => {
    const { container } = render(AppContextFixture, {
      app: withCapturedCode(['same warning', 'same warning', HTML]),
      step: CodeStep,
    });
    const code = screen.getByRole('region', { name: 'Code' });
    const items = within(code)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items.filter((t) => t === 'same warning')).toHaveLength(2);
    expect(items).toContain(HTML);
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(screen.getByTestId('state-check').textContent).toMatch(/matches the authorization/);
    // The code itself stays masked.
    expect(code.textContent).not.toContain(CODE);
  });
});
