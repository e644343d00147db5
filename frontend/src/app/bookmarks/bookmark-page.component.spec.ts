import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { Observable, firstValueFrom } from 'rxjs';
import { Accepted, Container } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { aBookmark, aBranch, aContainer } from '../testing/fixtures';
import { answerBranchIntoDevBox } from '../testing/branch-into-dev-box';
import { BookmarkPageComponent } from './bookmark-page.component';

const API = '/api/v1';
const bookmark = aBookmark({
  id: 'bm1',
  name: 'BUG-4711 data',
  description: 'Orders with a broken total',
  tags: ['qa', 'orders'],
  bugRef: 'BUG-4711',
  mine: false,
  visibility: 'users',
  expiresAt: '2026-12-24T00:00:00Z',
  templateVersion: 'v2',
});

function aContainerOf(id: string, name: string, templateId = 't1'): Container {
  return aContainer({ id, name, templateId, activeBranchId: `${id}-default` });
}

/** The page over a fake HTTP backend; operations send their request and succeed. */
async function setup(containers: Container[]) {
  const run = vi.fn(async (_label: string, request: Observable<unknown>) => {
    const answer = (await firstValueFrom(request, { defaultValue: null })) as Accepted | null;
    return { ok: true, id: answer?.id };
  });
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: OperationsService, useValue: { run, operations: signal([]) } },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  const fixture = TestBed.createComponent(BookmarkPageComponent);
  fixture.componentRef.setInput('id', 'bm1');
  fixture.detectChanges();
  await fixture.whenStable();
  const host = fixture.nativeElement as HTMLElement;
  const render = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
  };
  const button = (name: string) =>
    [...host.querySelectorAll('button')].find((b) => b.textContent?.trim() === name) as
      HTMLButtonElement | undefined;
  /** Waits for the page to send a request and answers it. */
  const answer = async (method: string, url: string, body: object) => {
    const request = await vi.waitFor(() => http.expectOne({ method, url }));
    request.flush(body);
    return request.request;
  };
  return { fixture, http, run, navigate, host, render, button, answer, containers };
}

async function loaded(containers: Container[]) {
  const page = await setup(containers);
  await page.answer('GET', `${API}/bookmarks/bm1`, bookmark);
  await page.answer('GET', `${API}/templates/t1`, { id: 't1', name: 'employees' });
  await page.answer('GET', `${API}/containers`, containers);
  await page.render();
  return page;
}

describe('BookmarkPageComponent', () => {
  it('shows the bookmark: description, tags, bug link, creator, container, version, time, expiry', async () => {
    const { host } = await loaded([aContainerOf('c-dev', 'dev-box')]);
    const text = host.textContent ?? '';
    expect(host.querySelector('h1')?.textContent).toContain('BUG-4711 data');
    for (const fact of [
      'Orders with a broken total',
      'qa',
      'orders',
      'employees',
      'Shared with you',
    ])
      expect(text).toContain(fact);
    const version = [...host.querySelectorAll('dt')].find((dt) => dt.textContent === 'Version');
    expect(version?.nextElementSibling?.textContent).toBe('v2');
    expect(host.querySelector('.expiry')?.getAttribute('aria-label')).toContain('Dec 24, 2026');
    const links = [...host.querySelectorAll('a')].map((a) => a.textContent?.trim());
    expect(links).toContain('BUG-4711');
    expect(links).toContain('qa-box');
    expect(host.querySelector('[aria-label="Copy link"]')).not.toBeNull();
  });

  it('branches into my only container of the template in one click, activates it and opens it', async () => {
    const { button, answer, navigate, host } = await loaded([
      aContainerOf('c-dev', 'dev-box'),
      aContainerOf('c-other', 'other-app', 't2'),
      { ...aContainerOf('c-qa', 'qa-box'), access: 'viewer' },
    ]);
    expect(host.textContent).toContain('Into dev-box');
    expect(host.querySelector('mat-select')).toBeNull();
    button('New branch')!.click();

    // The bookmark's name is taken in that container already: the branch gets the next free one.
    expect(await answerBranchIntoDevBox(answer)).toEqual({
      name: 'bug-4711-data-2',
      fromBookmarkId: 'bm1',
    });
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith(['/containers', 'c-dev']));
  });

  it('does not activate again when the new branch is already active', async () => {
    const { button, answer, navigate, http } = await loaded([aContainerOf('c-dev', 'dev-box')]);
    button('New branch')!.click();
    await answer('GET', `${API}/containers/c-dev/branches`, []);
    await answer('POST', `${API}/containers/c-dev/branches`, { jobId: 'j1', id: 'b-new' });
    await answer('GET', `${API}/containers/c-dev/branches`, [
      aBranch({ id: 'b-new', name: 'bug-4711-data', active: true }),
    ]);
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith(['/containers', 'c-dev']));
    http.expectNone(`${API}/branches/b-new/activate`);
  });

  it('lets me choose the container when I have several of the template', async () => {
    const { button, answer, render, host, navigate } = await loaded([
      aContainerOf('c-dev', 'dev-box'),
      aContainerOf('c-dev2', 'dev-box-2'),
    ]);
    expect(button('New branch')?.disabled).toBe(true);
    (host.querySelector('.mat-mdc-select-trigger') as HTMLElement).click();
    await render();
    const option = [...document.querySelectorAll('mat-option')].find(
      (o) => o.textContent?.trim() === 'dev-box-2',
    ) as HTMLElement;
    option.click();
    await render();
    expect(button('New branch')?.disabled).toBe(false);
    button('New branch')!.click();
    await answer('GET', `${API}/containers/c-dev2/branches`, []);
    const create = await answer('POST', `${API}/containers/c-dev2/branches`, {
      jobId: 'j1',
      id: 'b-new',
    });
    expect(create.body).toEqual({ name: 'bug-4711-data', fromBookmarkId: 'bm1' });
    await answer('GET', `${API}/containers/c-dev2/branches`, [
      aBranch({ id: 'b-new', name: 'bug-4711-data' }),
    ]);
    await answer('POST', `${API}/branches/b-new/activate`, { jobId: 'j2' });
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith(['/containers', 'c-dev2']));
  });

  it('offers a new container from the bookmark when I have none of its template', async () => {
    const { button, answer, navigate } = await loaded([aContainerOf('c-other', 'other', 't2')]);
    expect(button('New branch')).toBeUndefined();
    button('New container')!.click();
    const create = await answer('POST', `${API}/containers`, { jobId: 'j1', id: 'c-new' });
    expect(create.body).toEqual({ name: 'bug-4711-data', templateId: 't1', fromBookmarkId: 'bm1' });
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith(['/containers', 'c-new']));
  });

  it('says "not found" to someone the bookmark is not shared with', async () => {
    const { http, render, host, button } = await setup([]);
    (await vi.waitFor(() => http.expectOne(`${API}/bookmarks/bm1`))).flush(
      { statusCode: 404, code: 'bookmark.not-found', message: 'bookmark bm1 not found' },
      { status: 404, statusText: 'Not Found' },
    );
    await render();
    expect(host.textContent).toContain('Bookmark not found');
    expect(host.textContent).not.toContain('Orders with a broken total');
    expect(button('New branch')).toBeUndefined();
  });
});
