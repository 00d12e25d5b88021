// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import MemberView from './MemberView.svelte';
import { HTML, NON_ASCII, unknownField } from './hostileAnswers.ts';
import { headerGetter } from '../lib/api/client.ts';
import { parseMemberResponse, type MemberResult } from '../lib/oauth/member.ts';

function member(body: Record<string, unknown>): MemberResult {
  const result = parseMemberResponse(
    200,
    headerGetter([['content-type', 'application/json']]),
    JSON.stringify(body),
  );
  if (!result.ok) throw new Error('not a member');
  return result;
}
const summary = () => screen.getByRole('status').textContent?.replace(/\s+/g, ' ').trim();

describe('MemberView', () => {
  it('reads as one sentence, punctuation right after what it follows', () => {
    render(MemberView, {
      result: member({
        user_id: 'u1',
        email: 'demo@example.com',
        first_name: 'Dana',
        last_name: 'Demo',
        role: 'Admin',
        workspace: 'ws1',
        workspace_name: 'Demo Workspace',
      }),
    });
    expect(summary()).toBe(
      'This token belongs to Dana Demo (demo@example.com), Admin, in workspace Demo Workspace (ws1).',
    );
  });

  it('leaves out what the answer lacks, with no stray spaces or commas', () => {
    render(MemberView, { result: member({ user_id: 'u1', first_name: 'Dana' }) });
    expect(summary()).toBe('This token belongs to Dana in workspace unnamed.');
  });

  it('shows HTML, non-ASCII and unknown fields as text', () => {
    const { container } = render(MemberView, {
      result: member({
        user_id: 'u1',
        first_name: HTML,
        last_name: NON_ASCII,
        [NON_ASCII]: [1, 1],
      }),
    });
    expect(summary()).toContain(`${HTML} ${NON_ASCII}`);
    expect(container.querySelector('img, script, b')).toBeNull();
    const table = screen.getByRole('table', { name: 'members/current fields' });
    expect(within(table).getByRole('rowheader', { name: unknownField(NON_ASCII) })).toBeTruthy();
  });
});
