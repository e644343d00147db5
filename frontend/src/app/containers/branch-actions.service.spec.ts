import { TestBed } from '@angular/core/testing';
import { ConfirmDialogComponent } from '../shared/confirm-dialog.component';
import { actionHarness } from '../testing/action-harness';
import { aBookmark, aBranch, aPoint } from '../testing/fixtures';
import { BranchActions, PointSelection } from './branch-actions.service';
import { NewBranchDialogComponent } from './new-branch-dialog.component';

const API = '/api/v1';
const main = aBranch({ id: 'b-main', name: 'default', active: true });
const feature = aBranch({ id: 'b-feat', name: 'feature' });
const point: PointSelection = {
  kind: 'point',
  point: aPoint({ id: 'p1', type: 'snapshot', createdAt: '2026-01-02T10:00:00Z' }),
  branch: main,
};
const atBookmark: PointSelection = {
  ...point,
  bookmark: aBookmark({ id: 'bm1', name: 'BUG-4711 data' }),
};

function setup(answer: unknown) {
  const harness = actionHarness(answer);
  return { ...harness, actions: TestBed.inject(BranchActions) };
}

describe('BranchActions', () => {
  it('branches from a bookmark under the name and expiry chosen in the dialog, without activating', async () => {
    const { actions, opened, expectRequest, messages, http } = setup({
      name: 'bug-4711-data',
      expiry: { expiresIn: '7d' },
    });
    const done = actions.branchFrom('c1', atBookmark);
    const create = await expectRequest('POST', `${API}/containers/c1/branches`, { jobId: 'j1' });
    expect(await done).toBe(true);
    expect(opened).toEqual([
      {
        component: NewBranchDialogComponent,
        data: { from: 'bookmark “BUG-4711 data”', suggestedName: 'bug-4711-data' },
      },
    ]);
    expect(create.body).toEqual({ name: 'bug-4711-data', fromBookmarkId: 'bm1', expiresIn: '7d' });
    expect(messages()).toEqual(['Branch bug-4711-data created. Activate it to use its data.']);
    http.expectNone({ method: 'POST', url: `${API}/branches/b-new/activate` });
  });

  it('branches from a plain point, suggesting no name', async () => {
    const { actions, opened, expectRequest } = setup({ name: 'try-it', expiry: {} });
    const done = actions.branchFrom('c1', point);
    const create = await expectRequest('POST', `${API}/containers/c1/branches`, { jobId: 'j1' });
    expect(await done).toBe(true);
    expect(opened[0]?.data).toEqual({
      from: 'the snapshot point on default',
      suggestedName: '',
    });
    expect(create.body).toEqual({ name: 'try-it', fromPointId: 'p1' });
  });

  it('creates nothing when the new-branch dialog is cancelled', async () => {
    const { actions, http } = setup(undefined);
    expect(await actions.branchFrom('c1', point)).toBe(false);
    http.expectNone({ method: 'POST' });
  });

  it('activates a branch without asking', async () => {
    const { actions, opened, expectRequest, messages } = setup(undefined);
    const done = actions.activate(feature);
    await expectRequest('POST', `${API}/branches/b-feat/activate`, { jobId: 'j1' });
    expect(await done).toBe(true);
    expect(opened).toEqual([]);
    expect(messages()).toEqual(['feature is active: the connection strings now serve its data']);
  });

  it('resets the branch once confirmed', async () => {
    const { actions, opened, expectRequest, messages } = setup(true);
    const done = actions.reset(main);
    await expectRequest('POST', `${API}/branches/b-main/reset`, { jobId: 'j1' });
    expect(await done).toBe(true);
    expect(opened[0]).toMatchObject({
      component: ConfirmDialogComponent,
      data: { title: 'Reset default?', confirm: 'Reset' },
    });
    expect(messages()).toEqual(['default was reset to its last point']);
  });

  it('restores to a bookmark once confirmed, naming it', async () => {
    const { actions, opened, expectRequest, messages } = setup(true);
    const done = actions.restore(atBookmark);
    const restore = await expectRequest('POST', `${API}/branches/b-main/restore`, { jobId: 'j1' });
    expect(await done).toBe(true);
    expect(restore.body).toEqual({ bookmarkId: 'bm1' });
    expect(opened[0]?.data).toMatchObject({
      title: 'Restore default?',
      message: expect.stringContaining('default gets the data of bookmark “BUG-4711 data”'),
      confirm: 'Restore',
    });
    expect(messages()).toEqual(['default restored to bookmark “BUG-4711 data”']);
  });

  it('restores to a plain point by its id', async () => {
    const { actions, expectRequest, messages } = setup(true);
    const done = actions.restore(point);
    const restore = await expectRequest('POST', `${API}/branches/b-main/restore`, { jobId: 'j1' });
    await done;
    expect(restore.body).toEqual({ pointId: 'p1' });
    expect(messages()[0]).toMatch(/^default restored to snapshot point of /);
  });

  for (const [name, run] of [
    ['reset', (a: BranchActions) => a.reset(main)],
    ['restore', (a: BranchActions) => a.restore(point)],
    ['delete', (a: BranchActions) => a.delete(feature)],
  ] as const) {
    it(`does not ${name} when the confirmation is cancelled`, async () => {
      const { actions, http, messages } = setup(false);
      expect(await run(actions)).toBe(false);
      http.expectNone(() => true);
      expect(messages()).toEqual([]);
    });
  }

  it('deletes a branch once confirmed', async () => {
    const { actions, opened, expectRequest, messages } = setup(true);
    const done = actions.delete(feature);
    await expectRequest('DELETE', `${API}/branches/b-feat`, { jobId: 'j1' });
    expect(await done).toBe(true);
    expect(opened[0]?.data).toMatchObject({ title: 'Delete branch feature?', confirm: 'Delete' });
    expect(messages()).toEqual(['Branch feature deleted']);
  });
});
