import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { ForbiddenException } from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { CreateTemplateDto, UpdateTemplateDto } from './dto/template.dto.js';
import { assertOwnerOptionsAllowed } from './templates.service.js';

const admin: CurrentUser = { id: 'root', username: 'admin', role: 'admin' };
const user: CurrentUser = { id: 'u1', username: 'dev', role: 'user' };

async function problems(cls: typeof CreateTemplateDto | typeof UpdateTemplateDto, body: object) {
  const errors = await validate(plainToInstance(cls, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return errors.flatMap((e) => Object.values(e.constraints ?? {}));
}

const template = {
  name: 'app',
  hostId: '6f1c1a52-6b43-4a43-9d8e-1a0b6f7d2c11',
  sources: [{ name: 'db', kind: 'postgres', connectionString: 'postgres://u:p@h/db' }],
};

describe('template owner options', () => {
  it('accept a boolean ownerSuperuser and role names in keepRoles', async () => {
    expect(
      await problems(CreateTemplateDto, {
        ...template,
        ownerSuperuser: true,
        keepRoles: ['app', 'report_ro'],
      }),
    ).toEqual([]);
    expect(await problems(UpdateTemplateDto, { keepRoles: [] })).toEqual([]);
  });

  const bad: [string, object, RegExp][] = [
    [
      'a string ownerSuperuser',
      { ownerSuperuser: 'yes' },
      /^ownerSuperuser must be true or false$/,
    ],
    ['keepRoles not an array', { keepRoles: 'app' }, /^keepRoles must be an array/],
    ['an upper-case role', { keepRoles: ['App'] }, /^keepRoles: each role name/],
    ['a quoted role', { keepRoles: ['app"; DROP'] }, /^keepRoles: each role name/],
    ['a role starting with a digit', { keepRoles: ['1app'] }, /^keepRoles: each role name/],
  ];
  it.each(bad)('refuse %s with a message naming the field', async (_, body, message) => {
    const found = await problems(CreateTemplateDto, { ...template, ...body });
    expect(found.some((m) => message.test(m))).toBe(true);
  });

  it('let only admins ask for a superuser owner', () => {
    expect(() => assertOwnerOptionsAllowed(user, { ownerSuperuser: true })).toThrow(
      ForbiddenException,
    );
    expect(() =>
      assertOwnerOptionsAllowed(user, { ownerSuperuser: false, keepRoles: ['app'] }),
    ).not.toThrow();
    expect(() => assertOwnerOptionsAllowed(admin, { ownerSuperuser: true })).not.toThrow();
  });
});
