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

function setup(viewer = false) {
  const access = new AccessService(
    { findOneBy: async () => base } as never,
    {} as never,
    {} as never,
  );
  access.isViewer = async () => viewer;
  const enqueued: { name: JobName; payload: unknown }[] = [];
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
      start: async (name: JobName, payload: unknown) => {
        enqueued.push({ name, payload });
        return { jobId: 'job-1' };
      },
    } as never,
    {} as never,
    new SecretBox([randomBytes(32)]),
  );
  return { service, enqueued, caCalls: () => caCalls };
}

describe('ContainerCredentialsService', () => {
  it('rotates for owners only: viewers get 403, strangers 404', async () => {
    const owner = setup();
    await expect(owner.service.rotate(alice, 'c1')).resolves.toEqual({ jobId: 'job-1' });
    expect(owner.enqueued).toEqual([
      {
        name: JobName.RotateContainerPassword,
        payload: { containerId: 'c1', reason: 'requested' },
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
