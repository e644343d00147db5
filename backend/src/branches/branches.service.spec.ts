import { JobName } from '@branchpoint/contracts';
import { describe, expect, it, vi } from 'vitest';
import type { AccessService } from '../access/access.service.js';
import {
  BadInputException,
  ConflictException,
  NotFoundException,
} from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import type { Branch } from '../database/entities/branch.entity.js';
import type { Container } from '../database/entities/container.entity.js';
import type { Point } from '../database/entities/point.entity.js';
import { BranchesService } from './branches.service.js';

const user: CurrentUser = { id: 'alice', username: 'alice', role: 'user' };
const container = {
  id: 'c1',
  templateId: 't1',
  activeBranchId: 'b1',
  ownerIds: ['alice'],
} as Container;
const branch = { id: 'b1', name: 'default', containerId: 'c1', state: 'ready' } as Branch;

function setup(
  options: {
    points?: Point[];
    bookmarkContainer?: string;
    branchRows?: Branch[];
    bookmarksOnBranch?: number;
  } = {},
) {
  const start = vi.fn(async () => ({ jobId: 'job-1' }));
  const access = {
    operableBranch: async () => ({ branch, container }),
    operableContainerBranch: async () => ({ branch, container }),
    visibleBookmark: async () => ({
      bookmark: { containerId: options.bookmarkContainer ?? 'c1', branchId: 'b1', pointId: 'p-bm' },
    }),
  } as unknown as AccessService;
  const timeline = {
    find: async (id: string) => options.points?.find((p) => p.id === id) ?? null,
    list: async () => options.points ?? [],
  };
  const branches = { findBy: async () => options.branchRows ?? [] };
  const containers = { findOneBy: async () => ({ name: 'other' }) };
  const bookmarks = {
    findBy: async () =>
      Array.from({ length: options.bookmarksOnBranch ?? 0 }, (_, i) => ({ name: `bm${i}` })),
  };
  const service = new BranchesService(
    branches as never,
    containers as never,
    bookmarks as never,
    access,
    timeline as never,
    { start } as never,
    { record: async () => undefined } as never,
    {} as never,
    {} as never,
    {} as never,
  );
  return { service, start };
}

describe('BranchesService.restore', () => {
  it('needs exactly one of bookmarkId and pointId', async () => {
    const { service } = setup();
    await expect(service.restore(user, 'b1', {})).rejects.toBeInstanceOf(BadInputException);
    await expect(
      service.restore(user, 'b1', { bookmarkId: 'k', pointId: 'p' }),
    ).rejects.toBeInstanceOf(BadInputException);
  });

  it('refuses a bookmark of another container and a point it does not know', async () => {
    await expect(
      setup({ bookmarkContainer: 'c2' }).service.restore(user, 'b1', { bookmarkId: 'k' }),
    ).rejects.toThrow(/another container/);
    await expect(setup().service.restore(user, 'b1', { pointId: 'nope' })).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });

  it('queues a restore with fresh ids for the points before and after', async () => {
    const { service, start } = setup({
      points: [{ id: 'p0', branchId: 'b2', containerId: 'c1' } as Point],
    });
    await service.restore(user, 'b1', { pointId: 'p0' });
    const [name, payload] = start.mock.calls[0] as unknown as [JobName, Record<string, string>];
    expect(name).toBe(JobName.RestoreBranch);
    expect(payload).toMatchObject({
      containerId: 'c1',
      branchId: 'b1',
      targetPointId: 'p0',
      targetBranchId: 'b2',
    });
    expect(
      new Set([payload['beforePointId'], payload['afterPointId'], payload['generationId']]).size,
    ).toBe(3);
  });
});

describe('BranchesService.delete', () => {
  it('refuses the active branch', async () => {
    await expect(setup().service.delete(user, 'b1')).rejects.toThrow(/active/);
  });

  it('refuses a branch that holds bookmarks, naming them', async () => {
    const inactive = { ...container, activeBranchId: 'b9' } as Container;
    const { service } = setup({ bookmarksOnBranch: 1 });
    (service as unknown as { access: AccessService }).access.operableContainerBranch =
      async () => ({ branch, container: inactive });
    await expect(service.delete(user, 'b1')).rejects.toThrow(/"bm0"/);
  });

  it('refuses a branch other branches were cloned from, naming them', async () => {
    const inactive = { ...container, activeBranchId: 'b9' } as Container;
    const { service } = setup({
      points: [{ id: 'p1' } as Point],
      branchRows: [{ id: 'b5', name: 'bug-4711', containerId: 'c2' } as Branch],
    });
    (service as unknown as { access: AccessService }).access.operableContainerBranch =
      async () => ({ branch, container: inactive });
    const error = await service.delete(user, 'b1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictException);
    expect((error as Error).message).toContain('branch "bug-4711" of container "other"');
  });
});
