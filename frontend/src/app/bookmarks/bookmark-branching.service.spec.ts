import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { of } from 'rxjs';
import { Container } from '../core/api/models';
import { JobTracker } from '../core/jobs/job-tracker.service';
import { OperationsService } from '../core/jobs/operations.service';
import { aBookmark, aBranch, aContainer, aJob } from '../testing/fixtures';
import { answerBranchIntoDevBox } from '../testing/branch-into-dev-box';
import { BookmarkBranching } from './bookmark-branching.service';

const API = '/api/v1';
const bookmark = aBookmark({ id: 'bm1', name: 'BUG-4711 data', mine: false });
const devBox: Container = aContainer({ id: 'c-dev', name: 'dev-box' });

/** The service over a fake HTTP backend and real operations; jobs end as `jobErrors` says. */
function setup(jobErrors: Record<string, string> = {}) {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      {
        provide: JobTracker,
        useValue: {
          track: (id: string) =>
            of(
              jobErrors[id]
                ? aJob({ id, state: 'failed', progress: 50, error: jobErrors[id] })
                : aJob({ id, state: 'succeeded', progress: 100 }),
            ),
        },
      },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const ops = TestBed.inject(OperationsService);
  const requests: string[] = [];
  /** Waits for the next request, checks it is `method url`, and answers it. */
  const answer = async (method: string, url: string, body: object | null, status = 200) => {
    const request = await vi.waitFor(() => http.expectOne({ method, url }));
    requests.push(`${method} ${url}`);
    request.flush(
      body,
      status === 200 ? {} : { status, statusText: status === 409 ? 'Conflict' : 'Error' },
    );
    return request.request;
  };
  const messages = () => ops.operations().map((op) => op.message);
  return { service: TestBed.inject(BookmarkBranching), http, ops, answer, requests, messages };
}

describe('BookmarkBranching', () => {
  it('creates the branch under a free name, then activates it, and offers to open the container', async () => {
    const { service, answer, requests, ops, messages } = setup();
    const done = service.branchAndActivate(bookmark, devBox);
    expect(await answerBranchIntoDevBox(answer)).toEqual({
      name: 'bug-4711-data-2',
      fromBookmarkId: 'bm1',
    });

    expect(await done).toBe('c-dev');
    expect(requests).toEqual([
      `GET ${API}/containers/c-dev/branches`,
      `POST ${API}/containers/c-dev/branches`,
      `GET ${API}/containers/c-dev/branches`,
      `POST ${API}/branches/b-new/activate`,
    ]);
    expect(messages()).toEqual([
      'Branch bug-4711-data-2 created in dev-box',
      'bug-4711-data-2 is active: the connection strings of dev-box now serve its data',
    ]);
    expect(ops.operations()[1]?.link).toEqual({
      label: 'Open dev-box',
      commands: ['/containers', 'c-dev'],
    });
  });

  it('does not activate a new branch that is active already', async () => {
    const { service, answer, http, messages } = setup();
    const done = service.branchAndActivate(bookmark, devBox);
    await answer('GET', `${API}/containers/c-dev/branches`, []);
    await answer('POST', `${API}/containers/c-dev/branches`, { jobId: 'j1', id: 'b-new' });
    await answer('GET', `${API}/containers/c-dev/branches`, [
      aBranch({ id: 'b-new', name: 'bug-4711-data', active: true }),
    ]);
    expect(await done).toBe('c-dev');
    http.expectNone(`${API}/branches/b-new/activate`);
    expect(messages()).toEqual(['Branch bug-4711-data created in dev-box']);
  });

  it('says why the activation failed and keeps the container closed', async () => {
    const { service, answer, ops, messages } = setup({ j2: 'hook 1 failed: boom' });
    const done = service.branchAndActivate(bookmark, devBox);
    await answer('GET', `${API}/containers/c-dev/branches`, []);
    await answer('POST', `${API}/containers/c-dev/branches`, { jobId: 'j1', id: 'b-new' });
    await answer('GET', `${API}/containers/c-dev/branches`, [
      aBranch({ id: 'b-new', name: 'bug-4711-data' }),
    ]);
    await answer('POST', `${API}/branches/b-new/activate`, { jobId: 'j2' });
    expect(await done).toBeNull();
    expect(messages()[1]).toBe('Activate failed: hook 1 failed: boom');
    expect(ops.operations()[1]).toMatchObject({ state: 'failed', link: undefined });
  });

  it('activates nothing when the branch is refused, and says why', async () => {
    const { service, answer, http, messages } = setup();
    const done = service.branchAndActivate(bookmark, devBox);
    await answer('GET', `${API}/containers/c-dev/branches`, []);
    await answer(
      'POST',
      `${API}/containers/c-dev/branches`,
      { statusCode: 409, error: 'Conflict', message: 'container dev-box is locked by qa' },
      409,
    );
    expect(await done).toBeNull();
    http.expectNone(`${API}/containers/c-dev/branches`);
    expect(messages()).toEqual(['New branch failed: container dev-box is locked by qa']);
  });

  it('says so when the branch names cannot be read, instead of failing silently', async () => {
    const { service, answer, http, messages } = setup();
    const done = service.branchAndActivate(bookmark, devBox);
    await answer(
      'GET',
      `${API}/containers/c-dev/branches`,
      { statusCode: 403, error: 'Forbidden', message: 'not an owner of dev-box' },
      403,
    );
    expect(await done).toBeNull();
    http.expectNone({ method: 'POST' });
    expect(messages()).toEqual(['New branch failed: not an owner of dev-box']);
  });

  it('makes a new container from the bookmark and offers to open it', async () => {
    const { service, answer, ops } = setup();
    const done = service.newContainer(bookmark);
    const create = await answer('POST', `${API}/containers`, { jobId: 'j1', id: 'c-new' });
    expect(create.body).toEqual({ name: 'bug-4711-data', templateId: 't1', fromBookmarkId: 'bm1' });
    expect(await done).toBe('c-new');
    expect(ops.operations()[0]).toMatchObject({
      message: 'Container bug-4711-data was created from the bookmark',
      link: { label: 'Open bug-4711-data', commands: ['/containers', 'c-new'] },
    });
  });
});
