import { JobName } from '@branchpoint/contracts';
import { describe, expect, it } from 'vitest';
import { AccessService } from '../access/access.service.js';
import {
  BadInputException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
} from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import type { Container } from '../database/entities/container.entity.js';
import type { AuditEntry } from '../jobs/jobs.service.js';
import { ContainerSettingsService } from './container-settings.service.js';

const alice: CurrentUser = { id: 'alice', username: 'alice', role: 'user' };
const bob: CurrentUser = { id: 'bob', username: 'bob', role: 'user' };
const base = {
  id: 'c1',
  hostId: 'h1',
  ownerIds: ['alice', 'carol'],
  lockedById: null,
  state: 'ready',
  serving: 'running',
  activeBranchId: 'b1',
} as unknown as Container;

function setup(container: Partial<Container> = {}, viewer = false) {
  const access = new AccessService(
    { findOneBy: async () => ({ ...base, ...container }) } as never,
    {} as never,
    {} as never,
  );
  access.isViewer = async () => viewer;
  const enqueued: { name: JobName; payload: unknown }[] = [];
  const audited: string[] = [];
  const agent = {
    settings: async () => ({ branchId: 'b1', settings: { work_mem: '64MB' }, pendingRestart: [] }),
  };
  const service = new ContainerSettingsService(
    access,
    { forHostOf: async () => agent } as never,
    {
      start: async (name: JobName, payload: unknown, _scope: unknown, audit: AuditEntry) => {
        enqueued.push({ name, payload });
        audited.push(audit.action);
        return { jobId: 'job-1' };
      },
    } as never,
  );
  return { service, enqueued, audited };
}

describe('ContainerSettingsService', () => {
  it('queues a settings change on the active branch for an owner, audited', async () => {
    const { service, enqueued, audited } = setup();
    await expect(service.update(alice, 'c1', { settings: { work_mem: '64MB' } })).resolves.toEqual({
      jobId: 'job-1',
    });
    expect(enqueued).toEqual([
      {
        name: JobName.UpdateContainerSettings,
        payload: expect.objectContaining({
          containerId: 'c1',
          branchId: 'b1',
          settings: { work_mem: '64MB' },
        }),
      },
    ]);
    expect(audited).toEqual(['container.settings']);
  });

  it('answers 400 naming a malformed parameter before anything else', async () => {
    const { service, enqueued } = setup();
    await expect(
      service.update(alice, 'c1', { settings: { 'work mem': '1' } }),
    ).rejects.toBeInstanceOf(BadInputException);
    expect(enqueued).toEqual([]);
  });

  it('refuses viewers (403), strangers (404) and everyone but the locker (409)', async () => {
    const change = { settings: { work_mem: '1MB' } };
    await expect(setup({}, true).service.update(bob, 'c1', change)).rejects.toBeInstanceOf(
      ForbiddenException,
    );
    await expect(setup({}, true).service.get(bob, 'c1')).rejects.toBeInstanceOf(ForbiddenException);
    await expect(setup({}, false).service.update(bob, 'c1', change)).rejects.toBeInstanceOf(
      NotFoundException,
    );
    const locked = setup({ lockedById: 'carol' });
    await expect(locked.service.update(alice, 'c1', change)).rejects.toBeInstanceOf(
      ConflictException,
    );
    expect(locked.enqueued).toEqual([]);
  });

  it('answers 409 while the servers are stopped, naming what to do', async () => {
    const { service } = setup({ serving: 'idle' });
    await expect(service.update(alice, 'c1', { settings: { work_mem: '1MB' } })).rejects.toThrow(
      /start it/,
    );
    await expect(service.get(alice, 'c1')).rejects.toBeInstanceOf(ConflictException);
  });

  it("reads the active branch's settings from the agent for owners", async () => {
    await expect(setup().service.get(alice, 'c1')).resolves.toEqual({
      branchId: 'b1',
      settings: { work_mem: '64MB' },
      pendingRestart: [],
    });
  });
});
