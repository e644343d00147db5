import { describe, expect, it } from 'vitest';
import { roleOf } from './sso-accounts.service.js';

describe('roleOf', () => {
  const sso = { adminGroup: 'ops', groupsClaim: 'groups', defaultRole: 'user' as const };

  it('makes members of the admin group admins and everyone else the default role', () => {
    expect(roleOf({ sub: 's', groups: ['staff', 'ops'] }, sso, 'user')).toBe('admin');
    expect(roleOf({ sub: 's', groups: 'ops' }, sso, 'user')).toBe('admin');
    expect(roleOf({ sub: 's', groups: ['staff'] }, sso, 'admin')).toBe('user');
    expect(roleOf({ sub: 's' }, sso, 'admin')).toBe('user');
    expect(roleOf({ sub: 's', groups: { ops: true } }, sso, 'admin')).toBe('user');
    expect(roleOf({ sub: 's', roles: ['ops'] }, { ...sso, groupsClaim: 'roles' }, 'user')).toBe(
      'admin',
    );
  });

  it('leaves the role as it is without an admin group', () => {
    const noGroup = { ...sso, adminGroup: null };
    expect(roleOf({ sub: 's', groups: ['ops'] }, noGroup, 'user')).toBe('user');
    expect(roleOf({ sub: 's' }, noGroup, 'admin')).toBe('admin');
  });
});
