import type { SimulatorSettingsValues } from './settings.ts';

/** The demo user who is "signed in" to the simulated PandaDoc. IDs are 22 base57 characters. */
export const DEMO_USER = Object.freeze({
  user_id: 'Hq7mVbN3xKd5TzRw8ePjYs',
  membership_id: 'Gx4nWcL9vQa2ZkTf6MhRbu',
  email: 'demo@example.com',
  first_name: 'Dana',
  last_name: 'Demo',
  is_active: true,
  workspace: 'Pv8sDy3jNe5XrKq7UaWm2c',
  workspace_name: 'Demo Workspace',
  email_verified: true,
  role: 'Admin',
  user_license: 'Full',
  date_created: '2024-02-14T09:30:12.482913Z',
  date_modified: '2025-01-06T16:05:47.118204Z',
});

export type DemoUser = typeof DEMO_USER;

export function displayName(user: DemoUser): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ');
}

/** The members/current body, fields in the order of PandaDoc's example. */
export function memberBody(
  user: DemoUser,
  field: SimulatorSettingsValues['emailVerifiedField'],
): Record<string, string | boolean> {
  const body: Record<string, string | boolean> = {};
  for (const [key, value] of Object.entries(user)) {
    body[key === 'email_verified' ? field : key] = value;
  }
  return body;
}
