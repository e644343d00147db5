import { describe, expect, it } from 'vitest';
import { clientAccess, sourceLocationProblem, sourceSpec } from './engines.js';

describe('sourceLocationProblem', () => {
  it.each([
    ['postgres', 'postgres://u:p@h:5432/db', null],
    ['postgres', 'mysql://u:p@h/db', /postgres:\/\//],
    ['mariadb', 'mysql://u:p@h:3306/db', null],
    ['mariadb', 'mariadb://u@h/db', null],
    ['mariadb', 'mysql://u:p@h:3306', /names no database/],
    ['mariadb', 'mysql://h:3306/db', /names no user/],
    ['mariadb', 'mysql://u@h:99999/db', /not a valid URL/],
    ['directory', '/srv/files', null],
    ['directory', '/srv/../etc', /absolute path without \.\./],
    ['directory', 'files', /absolute path/],
  ] as const)('%s %s', (kind, value, problem) => {
    const answer = sourceLocationProblem(kind, value);
    if (problem === null) expect(answer).toBeNull();
    else expect(answer).toMatch(problem);
  });
});

describe('clientAccess', () => {
  const endpoint = { host: 'db.example', port: 55002, database: 'shop', username: 'branchpoint' };

  it('gives a MariaDB clone a mysql:// string and a mariadb command without the password', () => {
    expect(clientAccess({ ...endpoint, kind: 'mariadb' }, 'p@ss')).toEqual({
      connectionString: 'mysql://branchpoint:p%40ss@db.example:55002/shop?ssl-mode=REQUIRED',
      command: 'mariadb -h db.example -P 55002 -u branchpoint -p --ssl shop',
    });
  });

  it('keeps the postgres:// string of endpoints stored before engines were', () => {
    expect(clientAccess(endpoint, 'pw').connectionString).toBe(
      'postgres://branchpoint:pw@db.example:55002/shop?sslmode=require',
    );
  });

  it('gives a directory its path', () => {
    expect(
      clientAccess(
        { ...endpoint, kind: 'directory', port: null, path: '/pool/c/.directories/f' },
        'pw',
      ),
    ).toEqual({ connectionString: '/pool/c/.directories/f', command: null });
  });
});

describe('sourceSpec', () => {
  it("sends a directory's stored location as its path", () => {
    expect(
      sourceSpec({ id: 'i', name: 'files', kind: 'directory', connectionString: '/srv/f' }),
    ).toEqual({ id: 'i', name: 'files', kind: 'directory', path: '/srv/f' });
  });
});
