/** Width of the TIME column (px). */
export const TIME_WIDTH = 136;
/** The EVENT column never gets narrower than this (px); longer text is cut with an ellipsis. */
export const EVENT_MIN_WIDTH = 300;
/**
 * Lanes are wide enough for the longest branch name, within `min` and `max` (px), and narrower
 * when many of them share the space left between TIME and EVENT.
 */
export const LANE_WIDTH = { min: 64, max: 120, perChar: 7.5, padding: 40 };
/** Narrower lanes leave out the branch icon, so the name keeps what room there is. */
const COMPACT_BELOW = 88;

export interface TimelineColumns {
  /** `grid-template-columns` shared by the header and every row. */
  template: string;
  laneWidth: number;
  compact: boolean;
  /** The narrowest the table may get; below it the table scrolls sideways. */
  minWidth: number;
  /** The lanes do not all fit: they scroll sideways between the pinned TIME and EVENT columns. */
  overflowing: boolean;
}

/**
 * The columns for lanes of these branch names in `available` px (`null` while not measured
 * yet). TIME keeps its width and EVENT at least its minimum; the lanes take what is left, down
 * to their minimum, beyond which the table becomes wider than the space and scrolls.
 */
export function timelineColumns(
  branchNames: readonly string[],
  available: number | null,
): TimelineColumns {
  const lanes = branchNames.length;
  const longest = Math.max(0, ...branchNames.map((name) => name.length));
  const wanted = clamp(Math.ceil(longest * LANE_WIDTH.perChar + LANE_WIDTH.padding));
  const share =
    available === null || lanes === 0
      ? wanted
      : Math.floor((available - TIME_WIDTH - EVENT_MIN_WIDTH) / lanes);
  const laneWidth = clamp(Math.min(wanted, share));
  const minWidth = TIME_WIDTH + lanes * laneWidth + EVENT_MIN_WIDTH;
  const laneTracks = lanes > 0 ? `repeat(${lanes}, ${laneWidth}px) ` : '';
  return {
    template: `${TIME_WIDTH}px ${laneTracks}minmax(${EVENT_MIN_WIDTH}px, 1fr)`,
    laneWidth,
    compact: laneWidth < COMPACT_BELOW,
    minWidth,
    overflowing: available !== null && minWidth > available,
  };
}

function clamp(width: number): number {
  return Math.min(LANE_WIDTH.max, Math.max(LANE_WIDTH.min, width));
}
