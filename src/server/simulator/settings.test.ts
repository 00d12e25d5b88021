/** The simulator's settings object. */
import { describe, expect, it } from 'vitest';
import { SimulatorCore } from './state.ts';
import { CLIENT, core, useCore } from './testCore.ts';

useCore();

describe('settings', () => {
  it('have defaults, accept initial values and reset()', () => {
    expect(core.settings).toMatchObject({
      membersAuthErrorStatus: 401,
      emailVerifiedField: 'email_verified',
      scopeStyle: 'pandadoc',
    });
    const custom = new SimulatorCore({ ...CLIENT, settings: { scopeStyle: 'spec' } });
    expect(custom.settings.scopeStyle).toBe('spec');
    custom.settings.membersAuthErrorStatus = 403;
    custom.settings.reset();
    expect(custom.settings).toMatchObject({ scopeStyle: 'pandadoc', membersAuthErrorStatus: 401 });
  });

  it('exposes the registered demo client', () => {
    expect(core.client).toEqual(CLIENT);
    expect(core.findClient('nope')).toBeUndefined();
  });
});
