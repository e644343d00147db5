import type { JobView } from '@branchpoint/contracts';
import { withClone, type ApiClient } from '@branchpoint/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caOf,
  createContainer,
  eventually,
  getContainer,
  sql,
  startWorld,
  stopWorld,
  type ContainerView,
  type World,
} from './support.js';

// A container is a tenant (issue 8): its owner is no superuser unless an admin allows it per
// template, its servers speak TLS only (verified here with the clone CA from the API), its
// server settings belong to the branch and are undoable, and its password can be rotated —
// and is, when a co-owner is removed.

type User = { id: string; token: string; api: ApiClient };

let world: World;
let alice: User;
let carol: User;
let container: ContainerView;

beforeAll(async () => {
  world = await startWorld('backend-tenancy');
  alice = await world.stack.createUser('alice');
  carol = await world.stack.createUser('carol');
  container = await createContainer(alice.api, world.templateId, 'tenant');
});

afterAll(async () => {
  await stopWorld(world);
});

const isSuperuser = async (view: ContainerView) =>
  (
    await sql<{ rolsuper: boolean }>(
      view,
      'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
    )
  )[0]?.rolsuper;

/** A template like the world's, as admin, with extra fields. */
const templateBody = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  hostId: world.stack.hostId,
  sources: [{ name: 'app-db', kind: 'postgres', connectionString: world.source.connectionString }],
  ...extra,
});

/** Retries while the servers restart (undo clones a point and starts them again). */
const show = (view: ContainerView, name: string) => {
  let value: string | undefined;
  return eventually(async () => {
    value = (await sql<Record<string, string>>(view, `SHOW ${name}`))[0]?.[name];
  }, 20_000).then(() => value);
};

describe('the owner role', () => {
  it('is no superuser by default', async () => {
    expect(await isSuperuser(container)).toBe(false);
  });

  it('is a superuser when an admin allows it on the template', async () => {
    const { id: templateId } = await world.stack.api.operate(
      'POST',
      '/templates',
      templateBody('app-superuser', { ownerSuperuser: true, keepRoles: [] }),
    );
    const detail = await world.stack.api.expect<{ ownerSuperuser: boolean; keepRoles: string[] }>(
      200,
      'GET',
      `/templates/${templateId}`,
    );
    expect(detail).toMatchObject({ ownerSuperuser: true, keepRoles: [] });
    const superContainer = await createContainer(alice.api, templateId!, 'tenant-super');
    expect(await isSuperuser(superContainer)).toBe(true);
    await alice.api.operate('DELETE', `/containers/${superContainer.id}`);
  });

  it('cannot be made a superuser by a non-admin (403), and bad role names are a 400 naming keepRoles', async () => {
    const created = await alice.api.request(
      'POST',
      '/templates',
      templateBody('app-sneaky', { ownerSuperuser: true }),
    );
    expect(created.status).toBe(403);
    const patched = await alice.api.request('PATCH', `/templates/${world.templateId}`, {
      ownerSuperuser: true,
    });
    expect(patched.status).toBe(403);
    const bad = await world.stack.api.request<{ message: string }>(
      'POST',
      '/templates',
      templateBody('app-bad-roles', { keepRoles: ['Robert"; DROP'] }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/keepRoles/);
  });
});

describe('server settings', () => {
  it('are changed as an operation, seen with SHOW over TLS, and undone with the branch', async () => {
    const before = await show(container, 'work_mem');
    expect(before).not.toBe('7MB');
    const { job } = await alice.api.operate('PATCH', `/containers/${container.id}/settings`, {
      settings: { work_mem: '7MB' },
    });
    expect(job.type).toBe('update-container-settings');
    expect(await show(container, 'work_mem')).toBe('7MB');
    const current = await alice.api.expect<{ branchId: string; settings: Record<string, string> }>(
      200,
      'GET',
      `/containers/${container.id}/settings`,
    );
    expect(current.branchId).toBe(container.activeBranchId);
    expect(current.settings['work_mem']).toBe('7MB');
    const timeline = await alice.api.expect<{ type: string }[]>(
      200,
      'GET',
      `/branches/${container.activeBranchId}/timeline`,
    );
    expect(timeline.at(-1)?.type).toBe('settings');

    await alice.api.operate('POST', `/containers/${container.id}/undo`);
    expect(await show(container, 'work_mem')).toBe(before);
    const after = await alice.api.expect<{ settings: Record<string, string> }>(
      200,
      'GET',
      `/containers/${container.id}/settings`,
    );
    expect(after.settings['work_mem']).toBeUndefined();
  });

  it('refuses a malformed or guarded name with a 400 naming it, and an unknown one in the job', async () => {
    const malformed = await alice.api.request<{ message: string }>(
      'PATCH',
      `/containers/${container.id}/settings`,
      { settings: { 'work mem': '1MB' } },
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toContain('settings.work mem');
    const guarded = await alice.api.request<{ message: string }>(
      'PATCH',
      `/containers/${container.id}/settings`,
      { settings: { ssl: 'off' } },
    );
    expect(guarded.status).toBe(400);
    expect(guarded.body).toMatchObject({ code: 'settings.invalid' });
    expect(guarded.body.message).toMatch(/settings\.ssl: ssl cannot be changed/);
    const { jobId } = await alice.api.expect<{ jobId: string }>(
      202,
      'PATCH',
      `/containers/${container.id}/settings`,
      { settings: { no_such_parameter: '1' } },
    );
    const job = await alice.api.waitForJob(jobId);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/unknown server setting: no_such_parameter/);
  });

  it('may be changed only by owners', async () => {
    const denied = await carol.api.request('PATCH', `/containers/${container.id}/settings`, {
      settings: { work_mem: '8MB' },
    });
    expect(denied.status).toBe(404);
  });
});

describe('credentials', () => {
  it('offers the clone CA as PEM to whoever may see the container, 404 to others', async () => {
    const response = await fetch(`${alice.api.apiUrl}/containers/${container.id}/ca-certificate`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-pem-file');
    expect(await response.text()).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const stranger = await carol.api.request('GET', `/containers/${container.id}/ca-certificate`);
    expect(stranger.status).toBe(404);
    expect(stranger.body).toMatchObject({ code: 'container.not-found' });
  });

  it('rotate: the old password fails, the new one works', async () => {
    const old = (await getContainer(alice.api, container.id)).endpoints[0]!;
    expect(old.connectionString).toContain('sslmode=require');
    const { job } = await alice.api.operate(
      'POST',
      `/containers/${container.id}/credentials/rotate`,
    );
    expect(job.type).toBe('rotate-container-password');
    container = await getContainer(alice.api, container.id);
    expect(container.endpoints[0]!.password).not.toBe(old.password);
    await expect(
      withClone(old.connectionString, await caOf(container), (client) => client.query('SELECT 1')),
    ).rejects.toThrow(/password authentication failed/);
    expect(await sql(container, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('removing a co-owner gives the container a new password', async () => {
    await alice.api.expect(200, 'POST', `/containers/${container.id}/owners`, { userId: carol.id });
    const known = (await getContainer(carol.api, container.id)).endpoints[0]!;
    const rotations = async () =>
      (await alice.api.expect<JobView[]>(200, 'GET', `/jobs?containerId=${container.id}`)).filter(
        (j) => j.type === 'rotate-container-password',
      );
    const earlier = (await rotations()).length;
    await alice.api.expect(200, 'DELETE', `/containers/${container.id}/owners/${carol.id}`);
    const [rotation] = await rotations();
    expect((await rotations()).length).toBe(earlier + 1);
    expect((await alice.api.waitForJob(rotation!.id)).state).toBe('succeeded');
    container = await getContainer(alice.api, container.id);
    expect(container.endpoints[0]!.password).not.toBe(known.password);
    await expect(
      withClone(known.connectionString, await caOf(container), (client) =>
        client.query('SELECT 1'),
      ),
    ).rejects.toThrow(/password authentication failed/);
    expect(await sql(container, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
