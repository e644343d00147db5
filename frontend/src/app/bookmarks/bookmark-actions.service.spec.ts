import { TestBed } from '@angular/core/testing';
import { ConfirmDialogComponent } from '../shared/confirm-dialog.component';
import { actionHarness } from '../testing/action-harness';
import { aBookmark, aBranch } from '../testing/fixtures';
import { BookmarkActions } from './bookmark-actions.service';
import { BookmarkDialogComponent } from './bookmark-dialog.component';
import { ShareDialogComponent } from './share-dialog.component';

const API = '/api/v1';
const main = aBranch({ id: 'b-main', name: 'default', active: true });
const bookmark = aBookmark({ id: 'bm1', name: 'edge-case data', visibility: 'users' });

function setup(answer: unknown) {
  const harness = actionHarness(answer);
  return { ...harness, actions: TestBed.inject(BookmarkActions) };
}

describe('BookmarkActions', () => {
  it('bookmarks the branch with the fields given in the dialog', async () => {
    const { actions, opened, expectRequest, messages } = setup({ name: 'edge-case data' });
    const done = actions.create(main);
    const create = await expectRequest('POST', `${API}/branches/b-main/bookmarks`, {
      jobId: 'j1',
    });
    expect(await done).toBe(true);
    expect(opened).toEqual([
      { component: BookmarkDialogComponent, data: { branchName: 'default' } },
    ]);
    expect(create.body).toEqual({ name: 'edge-case data' });
    expect(messages()).toEqual(['Bookmark “edge-case data” created']);
  });

  it('saves the edited fields of a bookmark', async () => {
    const { actions, opened, expectRequest, messages } = setup({
      name: 'renamed',
      tags: ['qa'],
    });
    const done = actions.edit(bookmark);
    const update = await expectRequest('PATCH', `${API}/bookmarks/bm1`, bookmark);
    expect(await done).toBe(true);
    expect(opened[0]?.data).toEqual({ bookmark });
    expect(update.body).toEqual({ name: 'renamed', tags: ['qa'] });
    expect(messages()).toEqual(['Bookmark “renamed” saved']);
  });

  for (const [name, run] of [
    ['create', (a: BookmarkActions) => a.create(main)],
    ['edit', (a: BookmarkActions) => a.edit(bookmark)],
    ['share', (a: BookmarkActions) => a.share(bookmark)],
  ] as const) {
    it(`does nothing when the ${name} dialog is cancelled`, async () => {
      const { actions, http, messages } = setup(undefined);
      expect(await run(actions)).toBe(false);
      http.expectNone(() => true);
      expect(messages()).toEqual([]);
    });
  }

  it('shares with the users picked in the share dialog', async () => {
    const { actions, opened, expectRequest, messages } = setup({ userIds: ['u-dev'] });
    const done = actions.share(bookmark);
    const share = await expectRequest('POST', `${API}/bookmarks/bm1/share`);
    expect(await done).toBe(true);
    expect(opened).toEqual([{ component: ShareDialogComponent, data: { bookmark } }]);
    expect(share.body).toEqual({ userIds: ['u-dev'] });
    expect(messages()).toEqual(['Bookmark “edge-case data” shared']);
  });

  it('stops sharing when the dialog answers private', async () => {
    const { actions, expectRequest, messages } = setup('private');
    const done = actions.share(bookmark);
    await expectRequest('DELETE', `${API}/bookmarks/bm1/share`);
    expect(await done).toBe(true);
    expect(messages()).toEqual(['Bookmark “edge-case data” is no longer shared']);
  });

  it('deletes a bookmark once confirmed', async () => {
    const { actions, opened, expectRequest, messages } = setup(true);
    const done = actions.delete(bookmark);
    await expectRequest('DELETE', `${API}/bookmarks/bm1`, { jobId: 'j1' });
    expect(await done).toBe(true);
    expect(opened[0]).toMatchObject({
      component: ConfirmDialogComponent,
      data: { title: 'Delete bookmark “edge-case data”?', confirm: 'Delete' },
    });
    expect(messages()).toEqual(['Bookmark “edge-case data” deleted']);
  });

  it('keeps the bookmark when the deletion is not confirmed', async () => {
    const { actions, http } = setup(false);
    expect(await actions.delete(bookmark)).toBe(false);
    http.expectNone(() => true);
  });
});
