import { EVENT_MIN_WIDTH, LANE_WIDTH, TIME_WIDTH, timelineColumns } from './timeline-columns';

/** `count` branch names of `length` characters. */
const names = (count: number, length = 20) =>
  Array.from({ length: count }, (_, i) => `b${i}`.padEnd(length, 'x'));

describe('timelineColumns', () => {
  it('makes lanes as wide as the longest name needs, within the bounds', () => {
    expect(timelineColumns(['default'], 865).laneWidth).toBe(93);
    expect(timelineColumns(['qa'], 865).laneWidth).toBe(LANE_WIDTH.min);
    expect(timelineColumns(['after-edge-case-data-2'], 865).laneWidth).toBe(LANE_WIDTH.max);
  });

  it('narrows the lanes as more branches share the space, keeping EVENT its minimum', () => {
    const widths = [2, 4, 6].map((count) => timelineColumns(names(count), 865).laneWidth);
    expect(widths).toEqual([120, 107, 71]);
    for (const count of [2, 4, 6]) {
      const columns = timelineColumns(names(count), 865);
      expect(columns.minWidth).toBeLessThanOrEqual(865);
      expect(columns.overflowing).toBe(false);
    }
  });

  it('stops at the minimum lane width and lets the table scroll beyond it', () => {
    const columns = timelineColumns(names(10), 865);
    expect(columns.laneWidth).toBe(LANE_WIDTH.min);
    expect(columns.minWidth).toBe(TIME_WIDTH + 10 * LANE_WIDTH.min + EVENT_MIN_WIDTH);
    expect(columns.overflowing).toBe(true);
  });

  it('shares one template between header and rows, EVENT taking the rest', () => {
    expect(timelineColumns(names(2), 865).template).toBe(
      `${TIME_WIDTH}px repeat(2, 120px) minmax(${EVENT_MIN_WIDTH}px, 1fr)`,
    );
    expect(timelineColumns([], 865).template).toBe(
      `${TIME_WIDTH}px minmax(${EVENT_MIN_WIDTH}px, 1fr)`,
    );
  });

  it('leaves out the branch icon in narrow lanes', () => {
    expect(timelineColumns(names(3), 865).compact).toBe(false);
    expect(timelineColumns(names(6), 865).compact).toBe(true);
  });

  it('uses the wanted width until the space is measured', () => {
    const columns = timelineColumns(names(12), null);
    expect(columns.laneWidth).toBe(LANE_WIDTH.max);
    expect(columns.overflowing).toBe(false);
  });
});
