import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { CompareSelection } from '../diffs/compare-selection.service';
import { aBookmark, aBranch, aPoint } from '../testing/fixtures';
import { SelectionPanelComponent } from './selection-panel.component';
import { TimelineSelection } from './timeline-selection';

const branch = aBranch({ id: 'b-main', name: 'default' });
const marked = aPoint({ id: 'p1', type: 'bookmark', bookmarkId: 'bm1' });
const bookmark = aBookmark({ id: 'bm1', name: 'before the purge' });
const later = aPoint({ id: 'p2', type: 'snapshot', createdAt: '2026-01-02T00:00:00Z' });

function render(selection: TimelineSelection) {
  TestBed.configureTestingModule({
    providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
  });
  const fixture = TestBed.createComponent(SelectionPanelComponent);
  fixture.componentRef.setInput('selection', selection);
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  const button = (name: string) =>
    [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  return { fixture, host, button, navigate, http: TestBed.inject(HttpTestingController) };
}

describe('SelectionPanelComponent: preview and compare', () => {
  it('previews a bookmark by its id and opens the preview', () => {
    const { button, http, navigate } = render({ kind: 'point', point: marked, branch, bookmark });
    button('Preview')!.click();
    const request = http.expectOne('/api/v1/previews');
    expect(request.request.body).toEqual({ bookmarkId: 'bm1', minutes: 30 });
    request.flush({ jobId: 'j1', id: 'pv1' });
    expect(navigate).toHaveBeenCalledWith(['/previews', 'pv1']);
  });

  it('compares the point picked first with the one selected next, then opens the diff', () => {
    const first = render({ kind: 'point', point: marked, branch, bookmark });
    first.button('Compare from here')!.click();
    expect(TestBed.inject(CompareSelection).from()).toEqual({
      id: 'bm1',
      label: 'before the purge',
    });
    first.fixture.componentRef.setInput('selection', { kind: 'point', point: later, branch });
    first.fixture.detectChanges();
    first.button('Compare with before the purge')!.click();
    const request = first.http.expectOne('/api/v1/diffs');
    expect(request.request.body).toEqual({ from: 'bm1', to: 'p2' });
    request.flush({ jobId: 'j2', id: 'd1' });
    expect(first.navigate).toHaveBeenCalledWith(['/diffs', 'd1']);
    expect(TestBed.inject(CompareSelection).from()).toBeNull();
  });

  it('says why a preview could not start', () => {
    const { button, http, host, fixture } = render({ kind: 'point', point: later, branch });
    button('Preview')!.click();
    http
      .expectOne('/api/v1/previews')
      .flush(
        { statusCode: 404, code: 'point.not-found', message: 'point p2 not found' },
        { status: 404, statusText: 'Not Found' },
      );
    fixture.detectChanges();
    expect(host.querySelector('[role=alert]')?.textContent).toContain('not found');
  });

  it('compares a point with a branch, which stands for its data now', () => {
    const first = render({ kind: 'point', point: later, branch });
    first.button('Compare from here')!.click();
    first.fixture.componentRef.setInput('selection', { kind: 'branch', branch });
    first.fixture.detectChanges();
    const compareWith = [...first.host.querySelectorAll('button')].find((b) =>
      b.textContent?.trim().startsWith('Compare with '),
    );
    compareWith!.click();
    const request = first.http.expectOne('/api/v1/diffs');
    expect(request.request.body).toEqual({ from: 'p2', to: 'b-main' });
    request.flush({ jobId: 'j3', id: 'd2' });
    expect(first.navigate).toHaveBeenCalledWith(['/diffs', 'd2']);
  });

  it('rebases a branch onto the newest data and opens the result', () => {
    const { button, http, navigate } = render({ kind: 'branch', branch });
    button('Rebase onto newest data')!.click();
    const request = http.expectOne('/api/v1/branches/b-main/rebase');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({});
    request.flush({ jobId: 'j4', id: 'r1' });
    expect(navigate).toHaveBeenCalledWith(['/rebases', 'r1']);
  });
});
