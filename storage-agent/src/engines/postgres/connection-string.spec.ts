import { describe, expect, it } from 'vitest';
import { parseConnectionString } from './connection-string.js';

describe('parseConnectionString', () => {
  it('splits the password off a URL', () => {
    const parsed = parseConnectionString(
      'postgres://app:s%3Dcret@db.example:5432/shop?sslmode=disable',
    );
    expect(parsed).toMatchObject({ password: 's=cret', database: 'shop', user: 'app' });
    expect(parsed.conninfo).toBe('postgres://app@db.example:5432/shop?sslmode=disable');
  });

  it('defaults the database to the user', () => {
    expect(parseConnectionString('postgresql://app@db/').database).toBe('app');
  });

  it('reads key=value strings', () => {
    expect(parseConnectionString("host=db user=app dbname='my shop'")).toMatchObject({
      database: 'my shop',
      user: 'app',
      password: null,
    });
  });

  it('refuses anything else', () => {
    expect(() => parseConnectionString('just text')).toThrow(/neither/);
  });
});
