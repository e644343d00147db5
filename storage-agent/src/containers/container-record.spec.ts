import { describe, expect, it } from 'vitest';
import { formatSources, parseSources } from './container-record.js';

describe('container sources property', () => {
  it('round-trips ports and kinds', () => {
    const sources = [
      { id: 'app-db', kind: 'postgres' as const, port: 55001 },
      { id: 'uploads', kind: 'directory' as const, port: null },
    ];
    expect(formatSources(sources)).toBe('app-db:postgres:55001,uploads:directory:-');
    expect(parseSources(formatSources(sources))).toEqual(sources);
    expect(parseSources(undefined)).toEqual([]);
  });
});
