import { describe, expect, it } from 'vitest';
import { BadInputException } from '../common/app.exception.js';
import { MAX_SETTING_CHANGES, settingChanges } from './server-settings.js';

describe('settingChanges', () => {
  it('keeps names with string values and null resets', () => {
    expect(
      settingChanges({ work_mem: '64MB', 'pg_stat_statements.max': '500', jit: null }),
    ).toEqual({ work_mem: '64MB', 'pg_stat_statements.max': '500', jit: null });
  });

  const bad: [string, unknown, RegExp][] = [
    ['not an object', 'work_mem=64MB', /settings must be an object/],
    ['an array', ['work_mem'], /settings must be an object/],
    ['null', null, /settings must be an object/],
    ['empty', {}, /at least one parameter/],
    ['upper case name', { Work_Mem: '1' }, /settings\.Work_Mem: not a server parameter name/],
    ['SQL in a name', { 'work_mem = 1; DROP': '1' }, /not a server parameter name/],
    ['two dots', { 'a.b.c': '1' }, /settings\.a\.b\.c: not a server parameter name/],
    ['a number value', { work_mem: 64 }, /settings\.work_mem must be a string, or null/],
    ['a long value', { work_mem: 'x'.repeat(1025) }, /settings\.work_mem is longer than 1024/],
    ['a NUL in a value', { work_mem: 'a\0b' }, /settings\.work_mem must not contain NUL/],
    [
      'a program',
      { archive_command: 'curl x' },
      /settings\.archive_command: archive_command cannot be/,
    ],
    ['a key file', { ssl_key_file: '/etc/shadow' }, /ssl_key_file cannot be changed/],
    ['the listen address', { listen_addresses: '*' }, /listen_addresses cannot be changed/],
    ['a library', { shared_preload_libraries: 'x' }, /shared_preload_libraries cannot be/],
    [
      'too many',
      Object.fromEntries(Array.from({ length: MAX_SETTING_CHANGES + 1 }, (_, i) => [`p${i}`, '1'])),
      /at most 32 parameters/,
    ],
  ];
  it.each(bad)('refuses %s with a 400 naming the field', (_, input, message) => {
    expect(() => settingChanges(input)).toThrow(BadInputException);
    expect(() => settingChanges(input)).toThrow(message);
  });
});
