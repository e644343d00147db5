import { api as rest } from '@branchpoint/api-client';
import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../errors.js';
import { ApiClient, ApiError, exitCodeFor } from './client.js';

function answering(
  status: number,
  body: unknown,
  calls: { url: string; init: RequestInit }[] = [],
): typeof fetch {
  return (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(
      body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
      { status },
    );
  }) as typeof fetch;
}

async function failure(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('exitCodeFor an answer without a code', () => {
  it.each([
    [400, ExitCode.usage],
    [401, ExitCode.auth],
    [403, ExitCode.auth],
    [429, ExitCode.auth],
    [404, ExitCode.notFound],
    [409, ExitCode.conflict],
    [500, ExitCode.failed],
    [502, ExitCode.failed],
  ])('maps %i to %i', (status, code) => {
    expect(exitCodeFor(undefined, status)).toBe(code);
  });
});

describe('ApiClient', () => {
  it('sends the generated calls as JSON with the bearer token to <url><path>', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const api = new ApiClient({
      url: 'http://bp.example:3000',
      token: 'tok',
      fetch: answering(202, { jobId: 'j1' }, calls),
    });
    expect(await api.send(rest.containers.create({ templateId: 't', name: 'x' }))).toEqual({
      jobId: 'j1',
    });
    expect(calls[0]!.url).toBe('http://bp.example:3000/api/v1/containers');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers['authorization']).toBe('Bearer tok');
    expect(headers['content-type']).toBe('application/json');
    expect(calls[0]!.init.body).toBe('{"templateId":"t","name":"x"}');
  });

  it('returns undefined for an empty answer (204)', async () => {
    const api = new ApiClient({ url: 'http://x', token: 'tok', fetch: answering(204, undefined) });
    expect(await api.send(rest.bookmarks.delete('b'))).toBeUndefined();
  });

  it("turns the server's error body into an ApiError with its message and exit code", async () => {
    const api = new ApiClient({
      url: 'http://x',
      token: 'tok',
      fetch: answering(409, {
        statusCode: 409,
        error: 'Conflict',
        message: 'container is locked by bob',
      }),
    });
    const error = await failure(api.send(rest.branches.reset('b')));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe('container is locked by bob');
    expect(error.exitCode).toBe(ExitCode.conflict);
  });

  it('keeps the status line when the error body is not JSON', async () => {
    const api = new ApiClient({
      url: 'http://x',
      token: 'tok',
      fetch: answering(404, '<html>nope</html>'),
    });
    const error = await failure(api.send(rest.containers.get('c')));
    expect(error.exitCode).toBe(ExitCode.notFound);
    expect(error.message).toMatch(/^404/);
  });

  it('says how to authenticate when a request without a token is refused', async () => {
    const api = new ApiClient({
      url: 'http://x',
      token: undefined,
      fetch: answering(401, { statusCode: 401, error: 'Unauthorized', message: 'missing token' }),
    });
    const error = await failure(api.send(rest.containers.list()));
    expect(error.exitCode).toBe(ExitCode.auth);
    expect(error.message).toContain('branchpoint login');
  });

  it('reports a server that cannot be reached with exit code 6', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    }) as typeof fetch;
    const api = new ApiClient({ url: 'http://127.0.0.1:9', token: 'tok', fetch: refused });
    const error = await failure(api.send(rest.containers.list()));
    expect(error.exitCode).toBe(ExitCode.unreachable);
    expect(error.message).toBe(
      'cannot reach the Branchpoint server at http://127.0.0.1:9: ECONNREFUSED',
    );
  });

  it('follows every page of a list, and maps a refused page like any answer', async () => {
    const urls: string[] = [];
    const api = new ApiClient({
      url: 'http://x',
      token: 'tok',
      fetch: (async (url: string) => {
        urls.push(url);
        const cursor = new URL(url).searchParams.get('cursor');
        if (cursor === 'bad')
          return new Response(
            JSON.stringify({ statusCode: 400, code: 'pagination.cursor-invalid', message: 'no' }),
            { status: 400 },
          );
        return new Response(JSON.stringify(cursor ? [{ id: 'c2' }] : [{ id: 'c1' }]), {
          status: 200,
          headers: cursor ? {} : { 'X-Next-Cursor': 'n2' },
        });
      }) as typeof fetch,
    });
    expect(await api.sendAll(rest.containers.list())).toEqual([{ id: 'c1' }, { id: 'c2' }]);
    expect(urls).toEqual([
      'http://x/api/v1/containers?limit=500',
      'http://x/api/v1/containers?limit=500&cursor=n2',
    ]);
    const error = await failure(api.sendAll(rest.containers.list({ cursor: 'bad' })));
    expect(error.exitCode).toBe(ExitCode.usage);
  });

  it('refuses an answer that is not JSON where JSON was expected', async () => {
    const api = new ApiClient({
      url: 'http://x',
      token: 'tok',
      fetch: answering(200, '<html></html>'),
    });
    expect((await failure(api.send(rest.containers.list()))).exitCode).toBe(ExitCode.failed);
  });
});
