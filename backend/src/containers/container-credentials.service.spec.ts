import { JobName } from '@branchpoint/contracts';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AccessService } from '../access/access.service.js';
import { ForbiddenException, NotFoundException } from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { SecretBox } from '../common/secret-box.js';
import type { Container } from '../database/entities/container.entity.js';
import { ContainerCredentialsService } from './container-credentials.service.js';

const alice: CurrentUser = { id: 'alice', username: 'alice', role: 'user' };
const bob: CurrentUser = { id: 'bob', username: 'bob', role: 'user' };
const base = {
  id: 'c1',
  hostId: 'h1',
  ownerIds: ['alice'],
  lockedById: null,
  state: 'ready',
  serving: 'running',
  activeBranchId: 'b1',
} as unknown as Container;

function setup(viewer = false, failedRotations: unknown[] = []) {
  const access = new AccessService(
    { findOneBy: async () => base } as never,
    {} as never,
    {} as never,
  );
  access.isViewer = async () => viewer;
  const enqueued: { name: JobName; payload: unknown; audit?: unknown }[] = [];
  const queries: unknown[][] = [];
  let caCalls = 0;
  const agent = {
    cloneCa: async () => {
      caCalls++;
      return {
        certificate: '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----',
        fingerprint: 'AB',
      };
    },
  };
  const service = new ContainerCredentialsService(
    access,
    { forHostOf: async () => agent } as never,
    {
      start: async (name: JobName, payload: unknown, _scope: unknown, audit: unknown) => {
        enqueued.push({ name, payload, audit });
        return { jobId: 'job-1' };
      },
    } as never,
    {
      query: async (...args: unknown[]) => {
        queries.push(args);
        return failedRotations;
      },
    } as never,
    new SecretBox([randomBytes(32)]),
    {} as never,
  );
  return { service, enqueued, queries, caCalls: () => caCalls };
}

describe('ContainerCredentialsService', () => {
  it('rotates for owners only: viewers get 403, strangers 404', async () => {
    const owner = setup();
    await expect(owner.service.rotate(alice, 'c1')).resolves.toEqual({ jobId: 'job-1' });
    expect(owner.enqueued).toEqual([
      {
        name: JobName.RotateContainerPassword,
        payload: { containerId: 'c1', reason: 'requested' },
        audit: expect.objectContaining({ details: { reason: 'requested' } }),
      },
    ]);
    await expect(setup(true).service.rotate(bob, 'c1')).rejects.toBeInstanceOf(ForbiddenException);
    await expect(setup(false).service.rotate(bob, 'c1')).rejects.toBeInstanceOf(NotFoundException);
  });

  it('rotates after a co-owner is removed, unless the container is being deleted', async () => {
    const { service, enqueued } = setup();
    await expect(service.rotateAfterAccessLost(base, 'alice')).resolves.toBe('job-1');
    expect(enqueued[0]?.payload).toEqual({ containerId: 'c1', reason: 'owner-removed' });
    await expect(
      service.rotateAfterAccessLost({ ...base, state: 'deleting' } as Container, 'alice'),
    ).resolves.toBeNull();
  });

  it("runs again, as the control plane, the failed newest rotations of a returning host's containers", async () => {
    const { service, enqueued, queries } = setup(false, [
      { containerId: 'c1', userId: 'alice', reason: 'owner-removed' },
    ]);
    await expect(service.retryFailedRotations('h1')).resolves.toEqual(['job-1']);
    expect(queries[0]![1]).toEqual([JobName.RotateContainerPassword, 'h1']);
    expect(enqueued).toEqual([
      {
        name: JobName.RotateContainerPassword,
        payload: { containerId: 'c1', reason: 'owner-removed' },
        audit: expect.objectContaining({
          actorId: null,
          details: { reason: 'owner-removed', retry: true },
        }),
      },
    ]);
    await expect(setup().service.retryFailedRotations('h1')).resolves.toEqual([]);
  });

  it('gives the clone CA to everyone who may see the container, asking the agent once per host', async () => {
    const { service, caCalls } = setup(true);
    const pem = await service.caCertificate(bob, 'c1');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]*-----END CERTIFICATE-----\n$/);
    await service.caCertificate(alice, 'c1');
    expect(caCalls()).toBe(1);
    await expect(setup(false).service.caCertificate(bob, 'c1')).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });
});
