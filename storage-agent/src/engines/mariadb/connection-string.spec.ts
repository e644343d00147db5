import { describe, expect, it } from 'vitest';
import { parseMariadbUrl } from './connection-string.js';

describe('parseMariadbUrl', () => {
  it('reads user, password, host, port and database', () => {
    expect(parseMariadbUrl('mysql://app:p%40ss@db.example:3307/site')).toEqual({
      host: 'db.example',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'site',
    });
    expect(parseMariadbUrl('mariadb://root@127.0.0.1/shop').port).toBe(3306);
  });

  it.each([
    ['postgres://u@h/db', /mysql:\/\//],
    ['mysql://h:3306/db', /no user/],
    ['mysql://u@h:3306', /no database/],
    ['mysql://u@h:99999/db', /not a valid URL/],
  ])('refuses %s', (value, message) => {
    expect(() => parseMariadbUrl(value)).toThrow(message);
  });
});
