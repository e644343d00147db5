import { describe, expect, it } from 'vitest';
import { AgentFailure } from '../common/agent-failure.js';
import { DatasetLayout, datasetOf, isWithin, leafOf, snapshotOf } from './layout.js';

describe('DatasetLayout', () => {
  const layout = new DatasetLayout('tank/bp');

  it('builds the template and container layout', () => {
    expect(layout.templateSource('t1', 'app-db')).toBe('tank/bp/templates/t1/app-db');
    expect(layout.templateVersion('t1', 'v3')).toBe('tank/bp/templates/t1@v3');
    expect(layout.source('c1', 'main', 'g0', 'app-db')).toBe(
      'tank/bp/containers/c1/main/g0/app-db',
    );
    expect(layout.point('c1', 'main', 'g0', 'p1')).toBe('tank/bp/containers/c1/main/g0@p1');
  });

  it.each(['', 'a/b', 'a;b', '..', 'a b', 'A1', '-a', 'a'.repeat(65), 'a@b'])(
    'refuses the id %j',
    (id) => {
      expect(() => layout.branch('c1', id)).toThrow(AgentFailure);
      expect(() => layout.branch('c1', id)).toThrow(/branchId must match/);
    },
  );

  it('splits names', () => {
    expect(datasetOf('a/b@s')).toBe('a/b');
    expect(snapshotOf('a/b@s')).toBe('s');
    expect(snapshotOf('a/b')).toBeNull();
    expect(leafOf('a/b/c@s')).toBe('c');
    expect(isWithin('a/b/c', 'a/b')).toBe(true);
    expect(isWithin('a/b@s', 'a/b')).toBe(true);
    expect(isWithin('a/bc', 'a/b')).toBe(false);
  });
});
