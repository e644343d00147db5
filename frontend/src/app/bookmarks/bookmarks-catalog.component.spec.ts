import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { ReplaySubject } from 'rxjs';
import { Container, Job } from '../core/api/models';
import { JobTracker } from '../core/jobs/job-tracker.service';
import { OperationsPanelComponent } from '../shared/operations-panel.component';
import { aBookmark, aBranch, aContainer, aJob } from '../testing/fixtures';
import { BookmarksCatalogComponent } from './bookmarks-catalog.component';

const API = '/api/v1';
const shared = aBookmark({
  id: 'bm1',
  name: 'BUG-4711 data',
  mine: false,
  creator: 'qa',
  templateVersion: 'v2',
});

/** The catalog as the app shows it: with the operations panel beside it. */
@Component({
  imports: [BookmarksCatalogComponent, OperationsPanelComponent],
  template: `<bp-bookmarks-catalog /><bp-operations-panel />`,
})
class HostComponent {}

/** The catalog over a fake HTTP backend; the test drives each job through `job(id)`. */
async function loaded(containers: Container[]) {
  const jobs = new Map<string, ReplaySubject<Job>>();
  const job = (id: string) => jobs.get(id) ?? jobs.set(id, new ReplaySubject<Job>()).get(id)!;
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: JobTracker, useValue: { track: job } },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigate');
  const fixture = TestBed.createComponent(HostComponent);
  const host = fixture.nativeElement as HTMLElement;
  const render = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
  };
  const answer = async (method: string, url: string, body: object, status = 200) => {
    const request = await vi.waitFor(() => http.expectOne({ method, url }));
    request.flush(body, status === 200 ? {} : { status, statusText: 'Error' });
    await render();
    return request.request;
  };
  const succeed = async (id: string) => {
    job(id).next(aJob({ id, state: 'succeeded', progress: 100 }));
    job(id).complete();
    await render();
  };
  const button = (root: Element, name: string) =>
    [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name) as
      HTMLButtonElement | undefined;
  const newBranch = () => button(host.querySelector('li')!, 'New branch');
  /** What a screen reader says after the button's name. */
  const description = (b: Element) =>
    host.querySelector(`[id="${b.getAttribute('aria-describedby')}"]`)?.textContent;
  await render();
  await answer('GET', `${API}/containers`, containers);
  await answer('GET', `${API}/bookmarks?scope=all`, [shared]);
  return { http, host, render, answer, job, succeed, button, newBranch, description, navigate };
}

describe('BookmarksCatalogComponent', () => {
  it('shows the template version of each bookmark’s data', async () => {
    const { host } = await loaded([aContainer({ id: 'c-dev', name: 'dev-box' })]);
    const meta = [...host.querySelectorAll('li .meta span')].map((s) => s.textContent?.trim());
    expect(meta).toContain('Version v2');
  });

  it('New branch makes the bookmark’s data active in my only container, showing progress, and offers to open it', async () => {
    const { host, answer, job, succeed, newBranch, description, render, navigate } = await loaded([
      aContainer({ id: 'c-dev', name: 'dev-box' }),
      aContainer({ id: 'c-other', name: 'other-app', templateId: 't2' }),
      aContainer({ id: 'c-qa', name: 'qa-box', access: 'viewer' }),
    ]);
    expect(description(newBranch()!)).toBe('from BUG-4711 data into dev-box');
    newBranch()!.click();
    await render();
    expect(newBranch()!.disabled).toBe(true);
    expect(host.querySelector('[role=progressbar]')).not.toBeNull();

    await answer('GET', `${API}/containers/c-dev/branches`, [
      aBranch({ id: 'b1', name: 'default', active: true }),
    ]);
    const create = await answer('POST', `${API}/containers/c-dev/branches`, {
      jobId: 'j1',
      id: 'b-new',
    });
    expect(create.body).toEqual({ name: 'bug-4711-data', fromBookmarkId: 'bm1' });
    job('j1').next(aJob({ id: 'j1', state: 'running', progress: 40 }));
    await render();
    expect(host.textContent).toContain('New branch… 40%');
    await succeed('j1');
    await answer('GET', `${API}/containers/c-dev/branches`, [
      aBranch({ id: 'b1', name: 'default', active: true }),
      aBranch({ id: 'b-new', name: 'bug-4711-data' }),
    ]);
    await answer('POST', `${API}/branches/b-new/activate`, { jobId: 'j2' });
    await succeed('j2');

    await vi.waitFor(() =>
      expect(
        [...host.querySelectorAll('[role=status]')].map((s) => s.textContent?.trim()),
      ).toContain('bug-4711-data is active: the connection strings of dev-box now serve its data'),
    );
    await render();
    const open = [...host.querySelectorAll('a')].find((a) => a.textContent === 'Open dev-box');
    expect(open?.getAttribute('href')).toBe('/containers/c-dev');
    // The catalog stays open: the user may want another bookmark next.
    expect(navigate).not.toHaveBeenCalled();
    expect(newBranch()!.disabled).toBe(false);
  });

  it('asks which container when I have several of the template', async () => {
    const { answer, succeed, button, newBranch, render } = await loaded([
      aContainer({ id: 'c-dev', name: 'dev-box' }),
      aContainer({ id: 'c-dev2', name: 'dev-box-2' }),
    ]);
    newBranch()!.click();
    await render();
    const overlay = document.querySelector('.cdk-overlay-container') as HTMLElement;
    expect(
      [...overlay.querySelectorAll('[mat-menu-item]')].map((item) => item.textContent?.trim()),
    ).toEqual(['Into dev-box', 'Into dev-box-2']);
    button(overlay, 'Into dev-box-2')!.click();
    await render();

    await answer('GET', `${API}/containers/c-dev2/branches`, []);
    await answer('POST', `${API}/containers/c-dev2/branches`, { jobId: 'j1', id: 'b-new' });
    await succeed('j1');
    await answer('GET', `${API}/containers/c-dev2/branches`, [
      aBranch({ id: 'b-new', name: 'bug-4711-data' }),
    ]);
    await answer('POST', `${API}/branches/b-new/activate`, { jobId: 'j2' });
  });

  it('shows why the activation failed', async () => {
    const { host, answer, job, succeed, newBranch, render } = await loaded([
      aContainer({ id: 'c-dev', name: 'dev-box' }),
    ]);
    newBranch()!.click();
    await answer('GET', `${API}/containers/c-dev/branches`, []);
    await answer('POST', `${API}/containers/c-dev/branches`, { jobId: 'j1', id: 'b-new' });
    await succeed('j1');
    await answer('GET', `${API}/containers/c-dev/branches`, [
      aBranch({ id: 'b-new', name: 'bug-4711-data' }),
    ]);
    await answer('POST', `${API}/branches/b-new/activate`, { jobId: 'j2' });
    job('j2').next(aJob({ id: 'j2', state: 'failed', progress: 60, error: 'port 55000 is busy' }));
    job('j2').complete();
    await render();
    await vi.waitFor(() =>
      expect(host.querySelector('[role=alert]')?.textContent?.trim()).toBe(
        'Activate failed: port 55000 is busy',
      ),
    );
    expect([...host.querySelectorAll('a')].some((a) => a.textContent?.startsWith('Open'))).toBe(
      false,
    );
  });

  it('makes a new container from the bookmark when I have none of its template, then branches into it', async () => {
    const { answer, succeed, newBranch, description, render } = await loaded([
      aContainer({ id: 'c-other', name: 'other-app', templateId: 't2' }),
    ]);
    expect(description(newBranch()!)).toBe('from BUG-4711 data into a new container');
    newBranch()!.click();
    const create = await answer('POST', `${API}/containers`, { jobId: 'j1', id: 'c-new' });
    expect(create.body).toEqual({ name: 'bug-4711-data', templateId: 't1', fromBookmarkId: 'bm1' });
    await succeed('j1');
    await answer('GET', `${API}/containers`, [aContainer({ id: 'c-new', name: 'bug-4711-data' })]);

    newBranch()!.click();
    await render();
    await answer('GET', `${API}/containers/c-new/branches`, [
      aBranch({ id: 'b1', name: 'bug-4711-data', active: true }),
    ]);
    const branch = await answer('POST', `${API}/containers/c-new/branches`, {
      jobId: 'j2',
      id: 'b-new',
    });
    expect(branch.body).toEqual({ name: 'bug-4711-data-2', fromBookmarkId: 'bm1' });
  });

  it('keeps New branch off until my containers are known', async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    const list = await vi.waitFor(() => http.expectOne(`${API}/bookmarks?scope=all`));
    list.flush([shared]);
    fixture.detectChanges();
    const host = fixture.nativeElement as HTMLElement;
    const button = [...host.querySelectorAll('li button')].find(
      (b) => b.textContent?.trim() === 'New branch',
    ) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    http
      .expectOne(`${API}/containers`)
      .flush({ message: 'database is down' }, { status: 503, statusText: 'Unavailable' });
    fixture.detectChanges();
    expect(host.querySelector('[role=alert]')?.textContent).toContain(
      'Could not load your containers: database is down',
    );
    expect(button.disabled).toBe(true);
  });
});
