import { describe, expect, it } from 'vitest';
import { asInstallation } from '../datasets/installation.js';
import { DatasetLayout } from '../datasets/layout.js';
import { identity, PROPERTY } from '../datasets/properties.js';
import type { Zfs } from '../zfs/zfs.js';
import { InstallationGuard, targetsOf } from './installation-guard.js';

const ROOT = 'pool/bp';
const OURS = 'ours-1';
const THEIRS = 'theirs-2';

/** A pool with a few top datasets and their `branchpoint:installation`, recording every `set`. */
function fakeZfs(owners: Record<string, string | null>) {
  const sets: string[] = [];
  const zfs = {
    exists: async (name: string) => name in owners,
    getValue: async (name: string) => owners[name] ?? null,
    set: async (name: string, property: string, value: string) => {
      sets.push(`${name} ${property}=${value}`);
      owners[name] = value;
    },
  } as unknown as Zfs;
  return { zfs, sets };
}

describe('InstallationGuard', () => {
  const layout = new DatasetLayout(ROOT);

  it('lets an installation change its own, unmarked and missing datasets, never another installation’s', async () => {
    const { zfs } = fakeZfs({
      [`${ROOT}/containers/mine`]: OURS,
      [`${ROOT}/containers/old`]: null,
      [`${ROOT}/templates/foreign`]: THEIRS,
    });
    const guard = new InstallationGuard(zfs, layout);
    await expect(
      guard.check(OURS, [
        { kind: 'container', id: 'mine' },
        { kind: 'container', id: 'old' },
        { kind: 'container', id: 'not-yet-made' },
      ]),
    ).resolves.toBeUndefined();
    await expect(guard.check(OURS, [{ kind: 'template', id: 'foreign' }])).rejects.toMatchObject({
      statusCode: 409,
      code: 'foreign-installation',
      message: expect.stringContaining(`template foreign belongs to installation ${THEIRS}`),
    });
  });

  it('claims an unmarked dataset once, refuses a foreign one and one without the header', async () => {
    const { zfs, sets } = fakeZfs({
      [`${ROOT}/containers/old`]: null,
      [`${ROOT}/containers/foreign`]: THEIRS,
    });
    const guard = new InstallationGuard(zfs, layout);
    expect(await guard.claim(OURS, { kind: 'container', id: 'old' })).toEqual({
      kind: 'container',
      id: 'old',
      installation: OURS,
      adopted: true,
    });
    expect(await guard.claim(OURS, { kind: 'container', id: 'old' })).toMatchObject({
      adopted: false,
    });
    expect(sets).toEqual([`${ROOT}/containers/old branchpoint:installation=${OURS}`]);
    await expect(guard.claim(OURS, { kind: 'container', id: 'foreign' })).rejects.toMatchObject({
      code: 'foreign-installation',
    });
    await expect(guard.claim(OURS, { kind: 'container', id: 'gone' })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(guard.claim(undefined, { kind: 'container', id: 'old' })).rejects.toMatchObject({
      code: 'bad-request',
    });
    expect(sets).toHaveLength(1);
  });

  it('finds the containers and templates a call names, wherever the route names them', () => {
    expect(targetsOf({ params: { containerId: 'c1', branchId: 'b1' } })).toEqual([
      { kind: 'container', id: 'c1' },
    ]);
    expect(targetsOf({ params: { templateId: 't1', version: 'v1' } })).toEqual([
      { kind: 'template', id: 't1' },
    ]);
    expect(targetsOf({ params: { holdTag: 'h' }, body: { containerId: 'c2' } })).toEqual([
      { kind: 'container', id: 'c2' },
    ]);
    expect(targetsOf({ params: { holdTag: 'h' }, query: { containerId: 'c3' } })).toEqual([
      { kind: 'container', id: 'c3' },
    ]);
    expect(targetsOf({ body: { target: { kind: 'template-version', templateId: 't2' } } })).toEqual(
      [{ kind: 'template', id: 't2' }],
    );
  });
});

describe('identity', () => {
  it('gives every dataset a call creates the calling installation id, and none outside a call', async () => {
    const made = await asInstallation(OURS, async () => {
      await Promise.resolve();
      return identity('container', { containerId: 'c1' });
    });
    expect(made[PROPERTY.installation]).toBe(OURS);
    expect(asInstallation(OURS, () => identity('root', {}))[PROPERTY.installation]).toBeUndefined();
    expect(identity('container', { containerId: 'c1' })[PROPERTY.installation]).toBeUndefined();
    expect(
      asInstallation(undefined, () => identity('branch', { branchId: 'b1' }))[
        PROPERTY.installation
      ],
    ).toBeUndefined();
  });
});
