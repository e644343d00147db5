import { HttpRequest } from '@angular/common/http';
import { aBranch } from './fixtures';

/** A spec's fake backend: waits for the request `method url`, answers `body`, returns the request. */
type Answer = (method: string, url: string, body: object) => Promise<HttpRequest<unknown>>;

const API = '/api/v1';

/**
 * Plays the backend of a one-click New branch of bookmark `bm1` ("BUG-4711 data") into
 * container `c-dev`, where the name "bug-4711-data" is taken, up to the activation. Returns
 * the body the branch was created with.
 */
export async function answerBranchIntoDevBox(answer: Answer): Promise<unknown> {
  await answer('GET', `${API}/containers/c-dev/branches`, [
    aBranch({ id: 'b1', name: 'default', active: true }),
    aBranch({ id: 'b2', name: 'bug-4711-data' }),
  ]);
  const create = await answer('POST', `${API}/containers/c-dev/branches`, {
    jobId: 'j1',
    id: 'b-new',
  });
  await answer('GET', `${API}/containers/c-dev/branches`, [
    aBranch({ id: 'b1', name: 'default', active: true }),
    aBranch({ id: 'b-new', name: 'bug-4711-data-2' }),
  ]);
  await answer('POST', `${API}/branches/b-new/activate`, { jobId: 'j2' });
  return create.body;
}
