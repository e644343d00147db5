import { describe, expect, it } from 'vitest';
import { api, ApiError, ApiUnreachableError, FetchClient, type ApiCall } from './index.js';

describe('api (generated)', () => {
  it('builds each call from its operation: method, path, body, query', () => {
    expect(api.branches.activate('b-1')).toEqual({
      method: 'POST',
      path: '/api/v1/branches/b-1/activate',
    });
    expect(api.containers.create({ templateId: 't', name: 'qa' })).toEqual({
      method: 'POST',
      path: '/api/v1/containers',
      body: { templateId: 't', name: 'qa' },
    });
    expect(api.jobs.list({ containerId: 'c1' })).toMatchObject({ query: { containerId: 'c1' } });
    expect(api.containers.caCertificate('c1').accept).toBe('application/x-pem-file');
  });

  it('encodes path parameters so that no value changes the path', () => {
    expect(api.containers.removeOwner('c/1', '../admin').path).toBe(
      '/api/v1/containers/c%2F1/owners/..%2Fadmin',
    );
  });
});

describe('FetchClient', () => {
  const recorded: { url: string; init: RequestInit }[] = [];
  const answering = (status: number, body: string) =>
    new FetchClient({
      baseUrl: 'http://cp.example/',
      token: 'tok',
      fetch: async (url, init) => {
        recorded.push({ url: String(url), init: init ?? {} });
        return new Response(body === '' ? null : body, { status });
      },
    });

  it('sends JSON with the bearer token, the query without undefined values', async () => {
    recorded.length = 0;
    const jobs = await answering(200, '[]').send(
      api.jobs.list({ containerId: 'c1', limit: undefined }),
    );
    expect(jobs).toEqual([]);
    expect(recorded[0]!.url).toBe('http://cp.example/api/v1/jobs?containerId=c1');
    expect(recorded[0]!.init.headers).toMatchObject({ authorization: 'Bearer tok' });
    await answering(202, '{"jobId":"j"}').send(
      api.containers.create({ templateId: 't', name: 'n' }),
    );
    expect(recorded[1]!.init).toMatchObject({
      method: 'POST',
      body: '{"templateId":"t","name":"n"}',
      headers: { 'content-type': 'application/json' },
    });
  });

  it('follows X-Next-Cursor through every page of a list, full pages unless the call names a limit', async () => {
    const urls: string[] = [];
    const pages: Record<string, { body: unknown[]; next?: string }> = {
      '': { body: [1, 2], next: 'c2' },
      c2: { body: [3], next: 'c3' },
      c3: { body: [] },
    };
    const client = new FetchClient({
      baseUrl: 'http://cp.example',
      fetch: async (url) => {
        urls.push(String(url));
        const page = pages[new URL(String(url)).searchParams.get('cursor') ?? '']!;
        return new Response(JSON.stringify(page.body), {
          status: 200,
          headers: page.next ? { 'X-Next-Cursor': page.next } : {},
        });
      },
    });
    expect(await client.sendAll(api.bookmarks.list({ scope: 'mine' }))).toEqual([1, 2, 3]);
    expect(urls).toEqual([
      'http://cp.example/api/v1/bookmarks?limit=500&scope=mine',
      'http://cp.example/api/v1/bookmarks?limit=500&scope=mine&cursor=c2',
      'http://cp.example/api/v1/bookmarks?limit=500&scope=mine&cursor=c3',
    ]);
    expect(await client.sendPage(api.containers.list({ limit: 2 }))).toEqual({
      items: [1, 2],
      next: 'c2',
    });
    expect(urls.at(-1)).toBe('http://cp.example/api/v1/containers?limit=2');
  });

  it('answers nothing for 204 and text for non-JSON media types', async () => {
    expect(await answering(204, '').send(api.webhooks.delete('w1'))).toBeUndefined();
    expect(
      await answering(200, '-----BEGIN CERTIFICATE-----').send(api.containers.caCertificate('c')),
    ).toMatch(/^-----BEGIN/);
  });

  it('turns error answers into ApiError with the stable code, and keeps a proxy page as the body', async () => {
    const locked = answering(
      409,
      '{"statusCode":409,"code":"container.locked","message":"locked"}',
    );
    await expect(locked.send(api.containers.lock('c'))).rejects.toMatchObject({
      status: 409,
      code: 'container.locked',
      message: 'locked',
    });
    const proxy = await answering(502, '<html>bad gateway</html>')
      .send(api.containers.lock('c'))
      .catch((error: unknown) => error);
    expect(proxy).toBeInstanceOf(ApiError);
    expect(proxy).toMatchObject({ status: 502, code: undefined, body: '<html>bad gateway</html>' });
  });

  it('names an unreachable server', async () => {
    const client = new FetchClient({
      baseUrl: 'http://nowhere',
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
    });
    const call: ApiCall<unknown> = api.health.health();
    await expect(client.send(call)).rejects.toEqual(
      new ApiUnreachableError('http://nowhere', 'ECONNREFUSED'),
    );
  });
});
