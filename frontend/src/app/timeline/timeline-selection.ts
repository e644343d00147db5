import { Bookmark, Branch, TimelinePoint } from '../core/api/models';

/** What the user picked on the timeline: a point (maybe a bookmark) or a whole branch. */
export type TimelineSelection =
  | { kind: 'point'; point: TimelinePoint; branch: Branch; bookmark?: Bookmark }
  | { kind: 'branch'; branch: Branch };

export function selectionKey(selection: TimelineSelection | null): string | null {
  if (!selection) return null;
  return selection.kind === 'point'
    ? `point:${selection.point.id}`
    : `branch:${selection.branch.id}`;
}
