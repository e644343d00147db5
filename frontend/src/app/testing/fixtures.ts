import { Bookmark, Branch, Container, Job, TimelinePoint, User } from '../core/api/models';

/** Complete API objects for component tests; each test overrides what it is about. */
export function aBranch(overrides: Partial<Branch> & Pick<Branch, 'id' | 'name'>): Branch {
  return {
    containerId: 'c1',
    state: 'ready',
    active: false,
    templateVersion: 'v1',
    originPointId: null,
    originBookmarkId: null,
    createdAt: '2026-01-01T00:00:00Z',
    expiresAt: null,
    protected: false,
    expiryBlockedReason: null,
    ...overrides,
  };
}

export function aPoint(
  overrides: Partial<TimelinePoint> & Pick<TimelinePoint, 'id'>,
): TimelinePoint {
  return {
    type: 'snapshot',
    createdAt: '2026-01-01T00:00:00Z',
    templateVersion: 'v1',
    ...overrides,
  };
}

export function aBookmark(overrides: Partial<Bookmark> & Pick<Bookmark, 'id' | 'name'>): Bookmark {
  return {
    description: null,
    tags: [],
    bugRef: null,
    bugUrl: null,
    creatorId: 'u1',
    creator: 'qa',
    visibility: 'private',
    sharedWith: [],
    expiresAt: null,
    protected: false,
    expiryBlockedReason: null,
    createdAt: '2026-01-01T00:00:00Z',
    containerId: 'c1',
    containerName: 'qa-box',
    templateId: 't1',
    templateVersion: 'v1',
    branchId: 'b-main',
    pointId: 'p1',
    mine: true,
    ...overrides,
  };
}

export function aJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 'j1',
    type: 'create-bookmark',
    containerId: 'c1',
    state: 'queued',
    progress: 0,
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    log: [],
    ...overrides,
  };
}

export function aUser(overrides: Partial<User> & Pick<User, 'id' | 'username'>): User {
  return {
    role: 'user',
    createdAt: '2026-01-01T00:00:00Z',
    disabled: false,
    sso: false,
    ...overrides,
  };
}

/** Where a fixture container lives: one host, up. */
const placed = { host: { id: 'h1', name: 'local', status: 'up' as const }, available: true };

export function aContainer(
  overrides: Partial<Container> & Pick<Container, 'id' | 'name'>,
): Container {
  return {
    templateId: 't1',
    templateVersion: 'v1',
    ...placed,
    state: 'ready',
    access: 'owner',
    serving: 'running',
    owners: [],
    activeBranchId: null,
    lockedBy: null,
    endpoints: [],
    expiresAt: null,
    protected: false,
    expiryBlockedReason: null,
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}
