import { describe, expect, it } from 'vitest';
import { databaseName } from './pull-request-names.js';

describe('databaseName', () => {
  it('names the database after the repository and the number', () => {
    expect(databaseName('acme/Shop', 42)).toBe('pr-shop-42');
    expect(databaseName('group/sub/my project!', 3)).toBe('pr-my-project-3');
    expect(databaseName('acme/...', 1)).toBe('pr-repo-1');
  });

  it('fits the 128 characters of a name', () => {
    const name = databaseName(`acme/${'x'.repeat(300)}`, 123456);
    expect(name).toHaveLength(128);
    expect(name.endsWith('-123456')).toBe(true);
    expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);
  });
});
