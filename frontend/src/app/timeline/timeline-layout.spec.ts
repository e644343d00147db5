import { TimelinePoint } from '../core/api/models';
import { aBookmark, aBranch, aPoint } from '../testing/fixtures';
import { layoutTimeline } from './timeline-layout';

const branch = (id: string, createdAt: string) => aBranch({ id, name: id, createdAt });
const point = (id: string, type: TimelinePoint['type'], createdAt: string, bookmarkId?: string) =>
  aPoint({ id, type, createdAt, bookmarkId });

describe('layoutTimeline', () => {
  const main = branch('default', '2026-01-01T10:00:00Z');
  const fix = branch('bug-4711', '2026-01-01T12:00:00Z');
  const bookmark = aBookmark({
    id: 'bm1',
    name: 'after edge case data',
    tags: ['qa'],
    createdAt: '2026-01-01T11:00:00Z',
    pointId: 'p2',
    branchId: 'default',
  });
  const points = new Map([
    [
      'default',
      [
        point('p1', 'created', '2026-01-01T10:00:00Z'),
        point('p2', 'bookmark', '2026-01-01T11:00:00Z', 'bm1'),
        point('p4', 'restore', '2026-01-01T13:00:00Z'),
      ],
    ],
    ['bug-4711', [point('p3', 'created', '2026-01-01T12:00:00Z')]],
  ]);

  it('makes one lane per branch in creation order and marks the active one', () => {
    const { lanes } = layoutTimeline([fix, main], points, [bookmark], 'bug-4711');
    expect(lanes.map((l) => l.branch.name)).toEqual(['default', 'bug-4711']);
    expect(lanes.map((l) => l.active)).toEqual([false, true]);
  });

  it('orders the points of all branches newest first, on their own lane', () => {
    const { rows } = layoutTimeline([main, fix], points, [bookmark], 'default');
    expect(rows.map((r) => r.point.id)).toEqual(['p4', 'p3', 'p2', 'p1']);
    expect(rows.map((r) => r.lane)).toEqual([0, 1, 0, 0]);
  });

  it('names bookmark points after their bookmark and others after their type', () => {
    const { rows } = layoutTimeline([main, fix], points, [bookmark], 'default');
    const byId = new Map(rows.map((r) => [r.point.id, r]));
    expect(byId.get('p2')?.label).toBe('after edge case data');
    expect(byId.get('p2')?.bookmark?.id).toBe('bm1');
    expect(byId.get('p4')?.label).toBe('Restored');
  });

  it('draws a lane only from the time its branch exists', () => {
    const { rows } = layoutTimeline([main, fix], points, [bookmark], 'default');
    const first = rows.find((r) => r.point.id === 'p1');
    const last = rows.find((r) => r.point.id === 'p4');
    expect(first?.alive).toEqual([true, false]);
    expect(last?.alive).toEqual([true, true]);
  });

  it('says where a branch came from on its first point', () => {
    const fromBookmark = aBranch({
      id: 'b3',
      name: 'bug-copy',
      originBookmarkId: 'bm1',
      createdAt: '2026-01-01T14:00:00Z',
    });
    const fromPoint = aBranch({
      id: 'b4',
      name: 'try',
      originPointId: 'p4',
      createdAt: '2026-01-01T15:00:00Z',
    });
    const withOrigins = new Map([
      ...points,
      ['b3', [point('p5', 'created', '2026-01-01T14:00:00Z')]],
      ['b4', [point('p6', 'created', '2026-01-01T15:00:00Z')]],
    ]);
    const { rows } = layoutTimeline(
      [main, fix, fromBookmark, fromPoint],
      withOrigins,
      [bookmark],
      'default',
    );
    const label = (id: string) => rows.find((r) => r.point.id === id)?.label;
    expect(label('p5')).toBe('Branched from “after edge case data”');
    expect(label('p6')).toBe('Branched');
    expect(label('p1')).toBe('Created');
  });
});
