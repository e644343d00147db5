import { lastValueFrom, of } from 'rxjs';
import type { ExecutionContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { SelectQueryBuilder } from 'typeorm';
import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  nextLink,
  Page,
  PageInterceptor,
  PageQueryDto,
  paginate,
} from './pagination.js';

const ID = '0b6c9d0e-8f1a-4b2c-9d3e-4f5a6b7c8d9e';
const AT = new Date('2026-12-04T12:00:00.123Z');

describe('cursors', () => {
  it('round-trip the sort key and id as opaque base64url', () => {
    const cursor = encodeCursor({ key: AT, id: ID });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ key: AT, id: ID });
    const byName = encodeCursor({ key: 'alice', id: ID });
    expect(decodeCursor(byName, 'text')).toEqual({ key: 'alice', id: ID });
    expect(() => decodeCursor(byName, 'time')).toThrow('cursor is not one this list gave out');
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['not a pair', Buffer.from(JSON.stringify([AT.toISOString()])).toString('base64url')],
    ['no uuid', Buffer.from(JSON.stringify([AT.toISOString(), 'x'])).toString('base64url')],
    ['no time', Buffer.from(JSON.stringify(['yesterday', ID])).toString('base64url')],
    ['an object', Buffer.from(JSON.stringify({ at: 1, id: ID })).toString('base64url')],
  ])('refuses %s with 400 pagination.cursor-invalid', (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(
      expect.objectContaining({
        statusCode: 400,
        code: 'pagination.cursor-invalid',
        message: 'cursor is not one this list gave out',
      }),
    );
  });
});

describe('PageQueryDto', () => {
  const problems = async (query: Record<string, string>) =>
    (await validate(plainToInstance(PageQueryDto, query))).flatMap((e) =>
      Object.values(e.constraints ?? {}),
    );

  it('takes limits from 1 to 500 and names the bound it exceeds', async () => {
    expect(await problems({ limit: '500', cursor: 'abc' })).toEqual([]);
    expect(await problems({})).toEqual([]);
    expect(await problems({ limit: '501' })).toEqual(['limit must not be greater than 500']);
    expect(await problems({ limit: '0' })).toEqual(['limit must be at least 1']);
    expect(await problems({ limit: 'ten' })).toContain('limit must be a whole number');
  });
});

/** A query builder that records what paginate asks of it and answers `rows`. */
function fakeQuery(rows: { id: string; createdAt: Date; name?: string }[]) {
  const calls: unknown[][] = [];
  const query = {
    alias: 'c',
    andWhere: (...args: unknown[]) => (calls.push(['andWhere', ...args]), query),
    orderBy: (...args: unknown[]) => (calls.push(['orderBy', ...args]), query),
    addOrderBy: (...args: unknown[]) => (calls.push(['addOrderBy', ...args]), query),
    limit: (...args: unknown[]) => (calls.push(['limit', ...args]), query),
    getMany: async () => rows,
  };
  return {
    query: query as unknown as SelectQueryBuilder<{ id: string; createdAt: Date; name?: string }>,
    calls,
  };
}

const row = (n: number) => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  createdAt: new Date(AT.getTime() + n),
});

describe('paginate', () => {
  it('orders by the millisecond sort key and id, reads one more than the limit, and gives the next cursor', async () => {
    const { query, calls } = fakeQuery([row(1), row(2), row(3)]);
    const page = await paginate(query, { limit: 2 }, { direction: 'ASC' });
    expect(page.items).toEqual([row(1), row(2)]);
    expect(decodeCursor(page.next!)).toEqual({ key: row(2).createdAt, id: row(2).id });
    expect(calls).toEqual([
      ['orderBy', `date_trunc('milliseconds', "c"."createdAt" AT TIME ZONE 'UTC')`, 'ASC'],
      ['addOrderBy', '"c"."id"', 'ASC'],
      ['limit', 3],
    ]);
  });

  it('continues after the cursor (before it, newest first) and ends without a cursor', async () => {
    const { query, calls } = fakeQuery([row(1)]);
    const cursor = encodeCursor({ key: row(2).createdAt, id: row(2).id });
    const page = await paginate(query, { cursor }, { direction: 'DESC' });
    expect(page).toEqual(new Page([row(1)], null));
    expect(calls[0]).toEqual([
      'andWhere',
      `(date_trunc('milliseconds', "c"."createdAt" AT TIME ZONE 'UTC'), "c"."id") < ((CAST(:pageKey AS timestamptz) AT TIME ZONE 'UTC'), :pageId)`,
      { pageKey: row(2).createdAt, pageId: row(2).id },
    ]);
    expect(calls.at(-1)).toEqual(['limit', 101]);
  });

  it('orders a text column as it is, for lists sorted by name', async () => {
    const named = [{ id: ID, name: 'alice', createdAt: AT }];
    const { query, calls } = fakeQuery(named);
    const cursor = encodeCursor({ key: 'aaron', id: ID });
    const page = await paginate(
      query,
      { cursor, limit: 1 },
      { column: 'name', kind: 'text', direction: 'ASC' },
    );
    expect(page.next).toBeNull();
    expect(calls).toEqual([
      [
        'andWhere',
        '("c"."name", "c"."id") > (:pageKey, :pageId)',
        { pageKey: 'aaron', pageId: ID },
      ],
      ['orderBy', '"c"."name"', 'ASC'],
      ['addOrderBy', '"c"."id"', 'ASC'],
      ['limit', 2],
    ]);
  });
});

describe('the answer', () => {
  function context(url: string) {
    const headers: Record<string, string> = {};
    const response = {
      set(name: string, value: string) {
        headers[name] = value;
        return response;
      },
    };
    const http = { getRequest: () => ({ originalUrl: url }), getResponse: () => response };
    return { ctx: { switchToHttp: () => http } as unknown as ExecutionContext, headers };
  }

  it('is the JSON array, with the next page in X-Next-Cursor and Link', async () => {
    const { ctx, headers } = context('/api/v1/bookmarks?scope=mine&limit=2&cursor=old');
    const answer = await lastValueFrom(
      new PageInterceptor().intercept(ctx, { handle: () => of(new Page([1, 2], 'abc')) }),
    );
    expect(answer).toEqual([1, 2]);
    expect(headers).toEqual({
      'X-Next-Cursor': 'abc',
      Link: '</api/v1/bookmarks?scope=mine&limit=2&cursor=abc>; rel="next"',
    });
  });

  it('has no next-page headers on the last page, and leaves other answers alone', async () => {
    const { ctx, headers } = context('/api/v1/containers');
    expect(
      await lastValueFrom(
        new PageInterceptor().intercept(ctx, { handle: () => of(new Page([1], null)) }),
      ),
    ).toEqual([1]);
    expect(
      await lastValueFrom(new PageInterceptor().intercept(ctx, { handle: () => of({ a: 1 }) })),
    ).toEqual({ a: 1 });
    expect(headers).toEqual({});
    expect(nextLink('/api/v1/jobs', 'x')).toBe('</api/v1/jobs?cursor=x>; rel="next"');
  });
});
