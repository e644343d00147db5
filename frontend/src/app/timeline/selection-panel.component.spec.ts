import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { aBookmark, aBranch, aPoint } from '../testing/fixtures';
import { SelectionAction, SelectionPanelComponent } from './selection-panel.component';
import { TimelineSelection } from './timeline-selection';

const main = aBranch({ id: 'b-main', name: 'default' });
const other = aBranch({ id: 'b-2', name: 'with-index', createdAt: '2026-01-02T00:00:00Z' });
const point = aPoint({
  id: 'p1',
  type: 'bookmark',
  createdAt: '2026-01-01T01:00:00Z',
  bookmarkId: 'bm1',
});
const bookmark = aBookmark({
  id: 'bm1',
  name: 'BUG-4711 data',
  tags: ['qa'],
  bugRef: 'BUG-4711',
  createdAt: '2026-01-01T01:00:00Z',
});

function render(selection: TimelineSelection | null, { canOperate = true } = {}) {
  TestBed.configureTestingModule({
    providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
  });
  const fixture = TestBed.createComponent(SelectionPanelComponent);
  fixture.componentRef.setInput('selection', selection);
  fixture.componentRef.setInput('activeBranchId', 'b-main');
  fixture.componentRef.setInput('canOperate', canOperate);
  const actions: SelectionAction[] = [];
  fixture.componentInstance.action.subscribe((a) => actions.push(a));
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  const button = (name: string) =>
    [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === name) as
      HTMLButtonElement | undefined;
  /** The text of the `<dd>` that follows the `<dt>` named `term`. */
  const fact = (term: string) =>
    [...host.querySelectorAll('dt')]
      .find((dt) => dt.textContent?.trim() === term)
      ?.nextElementSibling?.textContent?.trim();
  return { host, actions, button, fact };
}

describe('SelectionPanelComponent', () => {
  it('tells the user what to do when nothing is selected', () => {
    const { host } = render(null);
    expect(host.textContent).toContain('Select a point or a bookmark flag');
  });

  it('offers Restore, New branch, Share, Edit and Delete on my bookmark, with its bug as a link', () => {
    const { host, actions, button } = render({ kind: 'point', point, branch: main, bookmark });
    expect(host.querySelector('h2')?.textContent).toContain('BUG-4711 data');
    expect(host.querySelector('a')?.textContent).toContain('BUG-4711');
    for (const name of ['Restore', 'New branch', 'Share', 'Edit', 'Delete'])
      expect(button(name)?.disabled).toBe(false);
    button('Restore')?.click();
    button('Share')?.click();
    button('New branch')?.click();
    expect(actions).toEqual(['restore', 'share', 'branch']);
  });

  it('shows the template version of a point’s, a bookmark’s and a branch’s data', () => {
    const bookmarked = render({ kind: 'point', point, branch: main, bookmark });
    expect(bookmarked.fact('Version')).toBe('v1');
    TestBed.resetTestingModule();
    const refreshed = render({
      kind: 'point',
      point: { ...point, type: 'refresh', bookmarkId: undefined, templateVersion: 'v2' },
      branch: main,
    });
    expect(refreshed.fact('Event')).toBe('refresh');
    expect(refreshed.fact('Version')).toBe('v2');
    TestBed.resetTestingModule();
    const branch = render({ kind: 'branch', branch: { ...other, templateVersion: 'v3' } });
    expect(branch.fact('Version')).toBe('v3');
  });

  it('does not let me share or delete somebody else’s bookmark', () => {
    const { button } = render({
      kind: 'point',
      point,
      branch: main,
      bookmark: { ...bookmark, mine: false, creator: 'dev' },
    });
    expect(button('Share')?.disabled).toBe(true);
    expect(button('Delete')?.disabled).toBe(true);
  });

  it('offers Activate on an inactive branch and not on the active one', () => {
    const inactive = render({ kind: 'branch', branch: other });
    expect(inactive.button('Activate')?.disabled).toBe(false);
    inactive.button('Activate')?.click();
    expect(inactive.actions).toEqual(['activate']);
    TestBed.resetTestingModule();
    const active = render({ kind: 'branch', branch: main });
    expect(active.button('Activate')?.disabled).toBe(true);
    expect(active.host.textContent).toContain('Active: the container serves this branch');
  });

  it('names the bookmark a branch was made from', () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    const fixture = TestBed.createComponent(SelectionPanelComponent);
    fixture.componentRef.setInput('selection', {
      kind: 'branch',
      branch: { ...other, originBookmarkId: 'bm1' },
    });
    fixture.componentRef.setInput('bookmarks', [bookmark]);
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain(
      'bookmark “BUG-4711 data” of qa',
    );
  });

  it('shows a branch’s expiry and offers Extend and Protect', () => {
    const expiresAt = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const { host, button } = render({ kind: 'branch', branch: { ...other, expiresAt } });
    expect(host.textContent).toContain('expires in 3 h');
    expect(button('Extend')?.disabled).toBe(false);
    expect(button('Protect')?.disabled).toBe(false);
  });

  it('lets only the bookmark’s creator change its expiry', () => {
    const { host, button } = render({
      kind: 'point',
      point,
      branch: main,
      bookmark: { ...bookmark, mine: false, protected: true },
    });
    expect(host.textContent).toContain('protected');
    expect(button('Unprotect')?.disabled).toBe(true);
  });

  it('disables operations on a container locked by someone else', () => {
    const { button } = render(
      { kind: 'point', point: { ...point, type: 'snapshot', bookmarkId: undefined }, branch: main },
      { canOperate: false },
    );
    expect(button('Restore')?.disabled).toBe(true);
    expect(button('Share')).toBeUndefined();
  });
});
