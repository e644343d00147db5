import { Bookmark, Branch, TimelinePoint } from '../core/api/models';

export interface Lane {
  branch: Branch;
  active: boolean;
  /** Epoch ms from which the branch exists; its lane line starts there. */
  since: number;
}

export interface TimelineRow {
  point: TimelinePoint;
  branch: Branch;
  /** Index of the lane the point sits on. */
  lane: number;
  /** For each lane, whether the branch already existed at this point's time. */
  alive: boolean[];
  bookmark?: Bookmark;
  label: string;
}

export interface TimelineLayout {
  lanes: Lane[];
  rows: TimelineRow[];
}

const TYPE_LABELS: Record<string, string> = {
  created: 'Created',
  bookmark: 'Bookmark',
  restore: 'Restored',
  reset: 'Reset',
  refresh: 'Refreshed',
  undo: 'Undone',
  snapshot: 'Snapshot',
  settings: 'Settings changed',
  branch: 'Branched',
};

export function pointLabel(point: TimelinePoint, bookmark?: Bookmark): string {
  if (bookmark) return bookmark.name;
  return TYPE_LABELS[point.type] ?? point.type;
}

/**
 * One lane per branch (in creation order, so lanes stay put when another branch is
 * activated) and one row per point of any branch, newest first.
 */
export function layoutTimeline(
  branches: readonly Branch[],
  pointsByBranch: ReadonlyMap<string, readonly TimelinePoint[]>,
  bookmarks: readonly Bookmark[],
  activeBranchId: string | null,
): TimelineLayout {
  const bookmarkById = new Map(bookmarks.map((b) => [b.id, b]));
  const ordered = [...branches].sort((a, b) => time(a.createdAt) - time(b.createdAt));
  const lanes: Lane[] = ordered.map((branch) => {
    const points = pointsByBranch.get(branch.id) ?? [];
    const first = Math.min(time(branch.createdAt), ...points.map((p) => time(p.createdAt)));
    return { branch, active: branch.id === activeBranchId, since: first };
  });

  const rows: TimelineRow[] = [];
  lanes.forEach((lane, laneIndex) => {
    for (const point of pointsByBranch.get(lane.branch.id) ?? []) {
      const at = time(point.createdAt);
      const bookmark = point.bookmarkId ? bookmarkById.get(point.bookmarkId) : undefined;
      rows.push({
        point,
        branch: lane.branch,
        lane: laneIndex,
        alive: lanes.map((l) => at >= l.since),
        bookmark,
        label:
          point.type === 'created'
            ? createdLabel(lane.branch, bookmarkById)
            : pointLabel(point, bookmark),
      });
    }
  });
  rows.sort((a, b) => time(b.point.createdAt) - time(a.point.createdAt) || b.lane - a.lane);
  return { lanes, rows };
}

/** A branch's first point says where the branch came from, when it came from somewhere. */
function createdLabel(branch: Branch, bookmarks: ReadonlyMap<string, Bookmark>): string {
  const origin = branch.originBookmarkId ? bookmarks.get(branch.originBookmarkId) : undefined;
  if (origin) return `Branched from “${origin.name}”`;
  return branch.originBookmarkId || branch.originPointId ? 'Branched' : 'Created';
}

function time(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}
