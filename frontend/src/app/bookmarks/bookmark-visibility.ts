import { Bookmark } from '../core/api/models';

/** Who can see a bookmark, in words. */
export function visibilityLabel(b: Bookmark): string {
  if (b.visibility === 'everyone') return 'Everyone';
  if (b.visibility === 'users')
    return b.mine ? `${b.sharedWith.length} shared user(s) and the owners` : 'Shared with you';
  return 'The container’s owners';
}
