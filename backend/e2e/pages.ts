import type { ErrorBody } from '@branchpoint/contracts';
import type { ApiClient } from '@branchpoint/testing';
import { expect } from 'vitest';

/** One page of a list as `api` sees it: the body, and the next page from the headers. */
export async function page(api: ApiClient, path: string) {
  const response = await fetch(`${api.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${api.token}` },
  });
  return {
    status: response.status,
    body: (await response.json()) as { id: string; code?: string; message?: string }[] & ErrorBody,
    next: response.headers.get('x-next-cursor'),
    link: response.headers.get('link'),
  };
}

/** Every item of a list, following the Link header from `path` on; checks both headers agree. */
export async function follow(
  api: ApiClient,
  path: string,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  for (let next: string | null = path; next;) {
    const answer = await page(api, next);
    expect(answer.status).toBe(200);
    ids.push(...answer.body.map((item) => item.id));
    pages += 1;
    if (!answer.next) {
      expect(answer.link).toBeNull();
      break;
    }
    const link = /^<\/api\/v1(\/[^>]+)>; rel="next"$/.exec(answer.link ?? '');
    expect(link, `Link of ${next}`).not.toBeNull();
    expect(new URL(link![1]!, 'http://x').searchParams.get('cursor')).toBe(answer.next);
    next = link![1]!;
  }
  return { ids, pages };
}
