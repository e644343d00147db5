/**
 * What the soak expects the product to hold: per container its branches, the active one and
 * whether it serves; per branch its data now, at its last point (what reset returns to) and
 * before its last undoable operation (what undo returns to); every bookmark with its data and
 * sharing. "Data" is what the soak can see over SQL: its marker rows and one server setting.
 */

/** A branch's data as the soak sees it: sorted marker rows, and `work_mem` if changed (null: default). */
export interface Data {
  rows: readonly string[];
  workMem: string | null;
}

export interface BranchModel {
  id: string;
  name: string;
  data: Data;
  /** What reset returns to: the data at the branch's newest point. */
  lastPoint: Data;
  /** What undo returns to: the data before the last restore, reset, refresh, undo or settings change. */
  undo: Data | null;
  /** The branch one of whose points this one was cloned from (its deletion is refused meanwhile). */
  originBranchId: string | null;
  originBookmarkId: string | null;
}

export interface BookmarkModel {
  id: string;
  name: string;
  containerId: string;
  branchId: string;
  data: Data;
  sharedWith: Set<string>;
  everyone: boolean;
  deleted: boolean;
  /** Counts changes of visibility, so a request racing one can tell a refusal it caused. */
  visibilityChanges: number;
}

export interface ContainerModel {
  id: string;
  name: string;
  connectionString: string;
  /** The worker's user first, co-owners after. */
  ownerIds: string[];
  branches: Map<string, BranchModel>;
  activeBranchId: string;
  serving: 'running' | 'stopped';
  /** The clone default of work_mem, as the container reported it at the start. */
  defaultWorkMem: string;
  /** Set after an unexpected failure or a violation: the model no longer knows what it holds. */
  quarantined: string | null;
  markers: number;
}

export const TEMPLATE_ROWS: readonly string[] = ['template-row'];

export const data = (rows: Iterable<string>, workMem: string | null = null): Data => ({
  rows: [...new Set(rows)].sort(),
  workMem,
});

export const sameData = (a: Data, b: Data): boolean =>
  a.workMem === b.workMem && a.rows.join('\n') === b.rows.join('\n');

/** The whole model: containers of every worker and every bookmark, shared between workers. */
export class SoakModel {
  readonly containers = new Map<string, ContainerModel>();
  readonly bookmarks = new Map<string, BookmarkModel>();
  /** Branches being created from a bookmark right now (by bookmark id), by any worker. */
  private readonly pendingFrom = new Map<string, number>();

  addContainer(
    container: Omit<ContainerModel, 'branches' | 'quarantined' | 'markers'>,
    defaultBranch: { id: string; name: string },
  ): ContainerModel {
    const model: ContainerModel = {
      ...container,
      branches: new Map(),
      quarantined: null,
      markers: 0,
    };
    const start = data(TEMPLATE_ROWS);
    model.branches.set(defaultBranch.id, {
      ...defaultBranch,
      data: start,
      lastPoint: start,
      undo: null,
      originBranchId: null,
      originBookmarkId: null,
    });
    this.containers.set(model.id, model);
    return model;
  }

  container(id: string): ContainerModel {
    const container = this.containers.get(id);
    if (!container) throw new Error(`soak model: unknown container ${id}`);
    return container;
  }

  active(container: ContainerModel): BranchModel {
    return container.branches.get(container.activeBranchId)!;
  }

  liveBookmarks(containerId?: string): BookmarkModel[] {
    return [...this.bookmarks.values()].filter(
      (b) => !b.deleted && (containerId === undefined || b.containerId === containerId),
    );
  }

  /** Bookmarks `userId` may branch from into `container`: its own, and those others share with the user. */
  branchableBookmarks(container: ContainerModel, userId: string): BookmarkModel[] {
    return this.liveBookmarks().filter(
      (b) =>
        b.containerId === container.id ||
        b.everyone ||
        b.sharedWith.has(userId) ||
        this.container(b.containerId).ownerIds.includes(userId),
    );
  }

  /** Why deleting the branch must be refused, or null; `undefined` when a racing request decides. */
  branchDeleteRefusal(container: ContainerModel, branch: BranchModel): string | null | undefined {
    if (container.activeBranchId === branch.id) return 'active branch';
    if (this.liveBookmarks(container.id).some((b) => b.branchId === branch.id))
      return 'branch holds bookmarks';
    if (this.allBranches().some((b) => b.originBranchId === branch.id))
      return 'branch is an origin';
    return null;
  }

  /** Why deleting the bookmark must be refused, or null; `undefined` when a racing branch decides. */
  bookmarkDeleteRefusal(bookmark: BookmarkModel): string | null | undefined {
    if (this.allBranches().some((b) => b.originBookmarkId === bookmark.id))
      return 'bookmark is an origin';
    return (this.pendingFrom.get(bookmark.id) ?? 0) > 0 ? undefined : null;
  }

  /** Marks a branch creation from `bookmarkId` in flight (until the returned function is called). */
  branchingFrom(bookmarkId: string): () => void {
    this.pendingFrom.set(bookmarkId, (this.pendingFrom.get(bookmarkId) ?? 0) + 1);
    return () => this.pendingFrom.set(bookmarkId, this.pendingFrom.get(bookmarkId)! - 1);
  }

  /** A new unique marker row for the container. */
  nextMarker(container: ContainerModel): string {
    container.markers += 1;
    return `${container.name}-${container.markers}`;
  }

  // Transitions, applied after the product confirmed the operation.

  wrote(container: ContainerModel, rows: string[]): void {
    const branch = this.active(container);
    branch.data = data([...branch.data.rows, ...rows], branch.data.workMem);
  }

  bookmarked(container: ContainerModel, branch: BranchModel, id: string, name: string): void {
    branch.lastPoint = branch.data;
    this.bookmarks.set(id, {
      id,
      name,
      containerId: container.id,
      branchId: branch.id,
      data: branch.data,
      sharedWith: new Set(),
      everyone: false,
      deleted: false,
      visibilityChanges: 0,
    });
  }

  branchedFromHead(container: ContainerModel, id: string, name: string): void {
    const origin = this.active(container);
    origin.lastPoint = origin.data;
    this.addBranch(container, id, name, origin.data, origin.id, null);
  }

  branchedFromBookmark(
    container: ContainerModel,
    id: string,
    name: string,
    bookmark: BookmarkModel,
  ): void {
    this.addBranch(container, id, name, bookmark.data, bookmark.branchId, bookmark.id);
  }

  activated(container: ContainerModel, branchId: string): void {
    container.activeBranchId = branchId;
    container.serving = 'running';
  }

  /** Restore, reset, undo, refresh, settings: undo goes back to `before`, reset to `after`. */
  replaced(branch: BranchModel, after: Data): void {
    branch.undo = branch.data;
    branch.data = after;
    branch.lastPoint = after;
  }

  branchDeleted(container: ContainerModel, branchId: string): void {
    container.branches.delete(branchId);
  }

  /**
   * Called before a delete or unshare is sent: a branch request racing it may then be refused
   * (404) without that being a failure.
   */
  withdrawing(bookmark: BookmarkModel): void {
    bookmark.visibilityChanges += 1;
  }

  bookmarkDeleted(bookmark: BookmarkModel): void {
    bookmark.deleted = true;
  }

  shared(bookmark: BookmarkModel, with_: { userIds?: string[]; everyone?: boolean }): void {
    for (const id of with_.userIds ?? []) bookmark.sharedWith.add(id);
    if (with_.everyone) bookmark.everyone = true;
  }

  unshared(bookmark: BookmarkModel): void {
    bookmark.sharedWith.clear();
    bookmark.everyone = false;
  }

  private addBranch(
    container: ContainerModel,
    id: string,
    name: string,
    from: Data,
    originBranchId: string,
    originBookmarkId: string | null,
  ): void {
    container.branches.set(id, {
      id,
      name,
      data: from,
      lastPoint: from,
      undo: null,
      originBranchId,
      originBookmarkId,
    });
  }

  private allBranches(): BranchModel[] {
    return [...this.containers.values()].flatMap((c) => [...c.branches.values()]);
  }
}
