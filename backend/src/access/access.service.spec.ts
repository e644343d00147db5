import { describe, expect, it } from 'vitest';
import {
  ConflictException,
  ForbiddenException,
  NotFoundException,
} from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import type { Bookmark } from '../database/entities/bookmark.entity.js';
import type { Container } from '../database/entities/container.entity.js';
import { AccessService, isOwner, isSharedWith } from './access.service.js';

const alice: CurrentUser = { id: 'alice', username: 'alice', role: 'user' };
const bob: CurrentUser = { id: 'bob', username: 'bob', role: 'user' };
const admin: CurrentUser = { id: 'root', username: 'admin', role: 'admin' };
const container = {
  id: 'c1',
  ownerIds: ['alice'],
  lockedById: null,
  state: 'ready',
} as unknown as Container;

function service(found: Container | null, viewer: boolean): AccessService {
  const containers = { findOneBy: async () => found };
  const access = new AccessService(containers as never, {} as never, {} as never);
  access.isViewer = async () => viewer;
  return access;
}

describe('AccessService', () => {
  it('gives owners and admins their container', async () => {
    await expect(service(container, false).ownedContainer(alice, 'c1')).resolves.toBe(container);
    await expect(service(container, false).ownedContainer(admin, 'c1')).resolves.toBe(container);
  });

  it('answers 404 to users who may not see the container, 403 to viewers', async () => {
    await expect(service(container, false).ownedContainer(bob, 'c1')).rejects.toBeInstanceOf(
      NotFoundException,
    );
    await expect(service(container, true).ownedContainer(bob, 'c1')).rejects.toBeInstanceOf(
      ForbiddenException,
    );
    await expect(service(null, true).ownedContainer(alice, 'c1')).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });

  it('lets only the locker operate on a locked container', async () => {
    const locked = { ...container, ownerIds: ['alice', 'bob'], lockedById: 'alice' } as Container;
    await expect(service(locked, false).operableContainer(alice, 'c1')).resolves.toBe(locked);
    await expect(service(locked, false).operableContainer(bob, 'c1')).rejects.toBeInstanceOf(
      ConflictException,
    );
  });

  it('refuses operations while the container is not ready', async () => {
    const creating = { ...container, state: 'creating' } as Container;
    await expect(service(creating, false).operableContainer(alice, 'c1')).rejects.toThrow(
      /creating/,
    );
  });

  it('tells owners and shared bookmarks apart', () => {
    expect(isOwner(alice, container)).toBe(true);
    expect(isOwner(bob, container)).toBe(false);
    const bookmark = (visibility: Bookmark['visibility'], sharedWith: string[]) =>
      ({ visibility, sharedWith }) as Bookmark;
    expect(isSharedWith(bob, bookmark('private', ['bob']))).toBe(false);
    expect(isSharedWith(bob, bookmark('users', ['bob']))).toBe(true);
    expect(isSharedWith(bob, bookmark('users', ['carol']))).toBe(false);
    expect(isSharedWith(bob, bookmark('everyone', []))).toBe(true);
  });
});
