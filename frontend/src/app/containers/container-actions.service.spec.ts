import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { ConfirmDialogComponent } from '../shared/confirm-dialog.component';
import { actionHarness } from '../testing/action-harness';
import { aContainer } from '../testing/fixtures';
import { ContainerActions } from './container-actions.service';
import { OwnersDialogComponent } from './owners-dialog.component';

const API = '/api/v1';
const box = aContainer({
  id: 'c1',
  name: 'qa-box',
  owners: [{ id: 'u-qa', username: 'qa' }],
});

function setup(answer: unknown) {
  const navigate = vi.fn(async () => true);
  const harness = actionHarness(answer, [{ provide: Router, useValue: { navigate } }]);
  return { ...harness, navigate, actions: TestBed.inject(ContainerActions) };
}

describe('ContainerActions', () => {
  it('refreshes from the template once confirmed', async () => {
    const { actions, opened, expectRequest, messages } = setup(true);
    const done = actions.refresh('c1');
    await expectRequest('POST', `${API}/containers/c1/refresh`, { jobId: 'j1' });
    expect(await done).toBe(true);
    expect(opened[0]).toMatchObject({
      component: ConfirmDialogComponent,
      data: { title: 'Refresh from the template?', confirm: 'Refresh' },
    });
    expect(messages()).toEqual(['Container refreshed with the latest data']);
  });

  for (const [operation, run, message] of [
    ['undo', (a: ContainerActions) => a.undo('c1'), 'The last operation was undone'],
    ['start', (a: ContainerActions) => a.start('c1'), 'Databases started'],
    [
      'lock',
      (a: ContainerActions) => a.setLocked('c1', true),
      'Locked: only you can operate on this container',
    ],
    ['unlock', (a: ContainerActions) => a.setLocked('c1', false), 'Unlocked'],
  ] as const) {
    it(`runs ${operation} without asking`, async () => {
      const { actions, opened, expectRequest, messages } = setup(undefined);
      const done = run(actions);
      await expectRequest('POST', `${API}/containers/c1/${operation}`, { jobId: 'j1' });
      expect(await done).toBe(true);
      expect(opened).toEqual([]);
      expect(messages()).toEqual([message]);
    });
  }

  it('stops the databases once confirmed', async () => {
    const { actions, opened, expectRequest, messages } = setup(true);
    const done = actions.stop('c1');
    await expectRequest('POST', `${API}/containers/c1/stop`, { jobId: 'j1' });
    expect(await done).toBe(true);
    expect(opened[0]?.data).toMatchObject({ title: 'Stop the databases?', confirm: 'Stop' });
    expect(messages()).toEqual(['Databases stopped; the data stays']);
  });

  for (const [name, run] of [
    ['refresh', (a: ContainerActions) => a.refresh('c1')],
    ['stop', (a: ContainerActions) => a.stop('c1')],
    ['delete', (a: ContainerActions) => a.delete(box)],
  ] as const) {
    it(`does not ${name} when the confirmation is cancelled`, async () => {
      const { actions, http, navigate } = setup(false);
      expect(await run(actions)).toBe(false);
      http.expectNone(() => true);
      expect(navigate).not.toHaveBeenCalled();
    });
  }

  it('adds the owner picked in the owners dialog', async () => {
    const { actions, opened, expectRequest, messages } = setup({
      add: { id: 'u-dev', username: 'dev' },
    });
    const done = actions.manageOwners(box);
    const add = await expectRequest('POST', `${API}/containers/c1/owners`, box);
    expect(await done).toBe(true);
    expect(opened).toEqual([
      { component: OwnersDialogComponent, data: { containerName: 'qa-box', owners: box.owners } },
    ]);
    expect(add.body).toEqual({ userId: 'u-dev' });
    expect(messages()).toEqual(['dev now owns qa-box too']);
  });

  it('removes the owner picked in the owners dialog', async () => {
    const { actions, expectRequest, messages } = setup({
      remove: { id: 'u-qa', username: 'qa' },
    });
    const done = actions.manageOwners(box);
    await expectRequest('DELETE', `${API}/containers/c1/owners/u-qa`, box);
    expect(await done).toBe(true);
    expect(messages()).toEqual(['qa no longer owns qa-box']);
  });

  it('changes no owner when the owners dialog is closed', async () => {
    const { actions, http } = setup(undefined);
    expect(await actions.manageOwners(box)).toBe(false);
    http.expectNone(() => true);
  });

  it('deletes the container once confirmed and goes back to the list', async () => {
    const { actions, opened, expectRequest, messages, navigate } = setup(true);
    const done = actions.delete(box);
    await expectRequest('DELETE', `${API}/containers/c1`, { jobId: 'j1' });
    expect(await done).toBe(true);
    expect(opened[0]?.data).toMatchObject({ title: 'Delete qa-box?', confirm: 'Delete' });
    expect(messages()).toEqual(['Container qa-box deleted']);
    expect(navigate).toHaveBeenCalledWith(['/containers']);
  });

  it('stays on the page when the deletion fails', async () => {
    const { actions, http, navigate, messages } = setup(true);
    const done = actions.delete(box);
    await vi.waitFor(() =>
      http
        .expectOne({ method: 'DELETE', url: `${API}/containers/c1` })
        .flush(
          { statusCode: 409, message: 'bookmark bm1 of dev depends on it' },
          { status: 409, statusText: 'Conflict' },
        ),
    );
    expect(await done).toBe(true);
    expect(messages()).toEqual(['Delete container failed: bookmark bm1 of dev depends on it']);
    expect(navigate).not.toHaveBeenCalled();
  });
});
