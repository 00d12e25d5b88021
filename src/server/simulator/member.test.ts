/** The signed-in demo user and members/current on the simulator core. */
import { describe, expect, it } from 'vitest';
import { DEMO_USER } from './member.ts';
import { BASE57_22, core, tokensFor, useCore } from './testCore.ts';

useCore();

describe('demo user', () => {
  it('has 22-character base57 IDs and the demo identity', () => {
    for (const id of [DEMO_USER.user_id, DEMO_USER.membership_id, DEMO_USER.workspace]) {
      expect(id).toMatch(BASE57_22);
    }
    expect(DEMO_USER).toMatchObject({
      first_name: 'Dana',
      last_name: 'Demo',
      email: 'demo@example.com',
      workspace_name: 'Demo Workspace',
    });
  });
});

describe('members/current', () => {
  it('returns the demo member, fields in the example order', () => {
    const { access_token } = tokensFor();
    const result = core.currentMember(`Bearer ${access_token}`);
    expect(result.status).toBe(200);
    expect(Object.keys(result.body)).toEqual([
      'user_id',
      'membership_id',
      'email',
      'first_name',
      'last_name',
      'is_active',
      'workspace',
      'workspace_name',
      'email_verified',
      'role',
      'user_license',
      'date_created',
      'date_modified',
    ]);
    expect(result.body).toEqual({ ...DEMO_USER });
    expect(core.currentMember(`bearer ${access_token}`).status).toBe(200);
  });

  it('401 authentication_error for missing, unknown or non-Bearer credentials', () => {
    const { access_token } = tokensFor();
    const expected = {
      status: 401,
      body: {
        type: 'authentication_error',
        detail: 'Authentication credentials were not provided.',
      },
    };
    for (const header of [
      undefined,
      null,
      '',
      'Bearer',
      `Bearer ${'0'.repeat(40)}`,
      `API-Key ${access_token}`,
      access_token,
    ]) {
      expect(core.currentMember(header)).toEqual(expected);
    }
  });

  it('uses 403 when membersAuthErrorStatus is 403', () => {
    core.settings.membersAuthErrorStatus = 403;
    expect(core.currentMember(undefined).status).toBe(403);
    core.settings.reset();
    expect(core.currentMember(undefined).status).toBe(401);
  });

  it('names the flag emails_verified when set, in the same position', () => {
    const { access_token } = tokensFor();
    core.settings.emailVerifiedField = 'emails_verified';
    const body = core.currentMember(`Bearer ${access_token}`).body;
    expect(Object.keys(body)[8]).toBe('emails_verified');
    expect(body.emails_verified).toBe(true);
    expect(body).not.toHaveProperty('email_verified');
  });
});
