import {
  applyDecorators,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type as ClassType,
} from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadInputException } from './app.exception.js';
import { isUuid } from './uuid-param.js';

/** Items per page when the request names no `limit`, and the most it may name. */
export const PAGE_DEFAULT = 100;
export const PAGE_MAX = 500;

/** The header that carries the next page's cursor (also in `Link: <…>; rel="next"`). */
export const NEXT_CURSOR_HEADER = 'X-Next-Cursor';

/** `?limit=&cursor=` of every list; list query DTOs extend it (one DTO per route: the pipe forbids unknown fields). */
export class PageQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: PAGE_MAX,
    default: PAGE_DEFAULT,
    description: `Items per page (at most ${PAGE_MAX})`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(PAGE_MAX, { message: `limit must not be greater than ${PAGE_MAX}` })
  limit?: number;

  @ApiPropertyOptional({
    description: `The next page: the ${NEXT_CURSOR_HEADER} header of the page before (opaque)`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'cursor is not one this list gave out' })
  cursor?: string;
}

/** One page of a list, and the cursor of the next (null on the last page). */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly next: string | null,
  ) {}

  /** The same page with each item converted (entities into DTOs). */
  async map<U>(convert: (items: T[]) => U[] | Promise<U[]>): Promise<Page<U>> {
    return new Page(await convert(this.items), this.next);
  }
}

/** Where a page starts: after the row with this sort key (a time, or a text such as a name) and id. */
export interface Position {
  key: Date | string;
  id: string;
}

/** What a list is sorted by: a timestamp column (the default, `createdAt`) or a text column (a name). */
export interface PageOrder {
  column?: string;
  kind?: 'time' | 'text';
  direction: 'ASC' | 'DESC';
}

/** By name, then id: the order of lists of named things (templates, hosts). */
export const NAME_ORDER: PageOrder = { column: 'name', kind: 'text', direction: 'ASC' };

export function encodeCursor({ key, id }: Position): string {
  const sortKey = key instanceof Date ? key.toISOString() : key;
  return Buffer.from(JSON.stringify([sortKey, id])).toString('base64url');
}

/** The position a cursor names; 400 `pagination.cursor-invalid` for anything no page gave out. */
export function decodeCursor(cursor: string, kind: 'time' | 'text' = 'time'): Position {
  const invalid = () =>
    new BadInputException('pagination.cursor-invalid', 'cursor is not one this list gave out');
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalid();
  const [key, id] = value as unknown[];
  if (typeof key !== 'string' || typeof id !== 'string' || !isUuid(id)) throw invalid();
  if (kind === 'text') return { key, id };
  const date = new Date(key);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== key) throw invalid();
  return { key: date, id };
}

/**
 * One page of the query: keyset ordering on (`alias.column`, `alias.id`) from the cursor on,
 * `limit` rows (one more is read to learn whether a next page exists). A timestamp is
 * compared at millisecond precision, as the cursor carries it, so no row is skipped or repeated.
 * The query must not already be ordered.
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  page: PageQueryDto,
  { column = 'createdAt', kind = 'time', direction }: PageOrder,
): Promise<Page<T>> {
  const alias = query.alias;
  const limit = page.limit ?? PAGE_DEFAULT;
  const sortColumn = `"${alias}"."${column}"`;
  // In UTC a time is a plain timestamp, whose date_trunc is immutable: indexes on this very
  // expression (migration 1764900000000-page-indexes) serve the order instead of a sort.
  const key =
    kind === 'time' ? `date_trunc('milliseconds', ${sortColumn} AT TIME ZONE 'UTC')` : sortColumn;
  const pageKey =
    kind === 'time' ? `(CAST(:pageKey AS timestamptz) AT TIME ZONE 'UTC')` : ':pageKey';
  const id = `"${alias}"."id"`;
  if (page.cursor) {
    const after = decodeCursor(page.cursor, kind);
    query.andWhere(`(${key}, ${id}) ${direction === 'ASC' ? '>' : '<'} (${pageKey}, :pageId)`, {
      pageKey: after.key,
      pageId: after.id,
    });
  }
  const rows = await query
    .orderBy(key, direction)
    .addOrderBy(id, direction)
    .limit(limit + 1)
    .getMany();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const next =
    rows.length > limit && last
      ? encodeCursor({ key: last[column] as Date | string, id: last['id'] as string })
      : null;
  return new Page(items, next);
}

/** The `Link` of the next page: this request's path and query with the new cursor. */
export function nextLink(originalUrl: string, cursor: string): string {
  const url = new URL(originalUrl, 'http://x');
  url.searchParams.set('cursor', cursor);
  return `<${url.pathname}${url.search}>; rel="next"`;
}

/** Answers a handler's Page as its items (the JSON array), with the next page in headers. */
@Injectable()
export class PageInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result: unknown) => {
        if (!(result instanceof Page)) return result;
        if (result.next) {
          const http = context.switchToHttp();
          const request = http.getRequest<Request>();
          http
            .getResponse<Response>()
            .set(NEXT_CURSOR_HEADER, result.next)
            .set('Link', nextLink(request.originalUrl, result.next));
        }
        return result.items as unknown;
      }),
    );
  }
}

/**
 * A paginated list route: answers the JSON array of `type` of the handler's Page, the next
 * page's cursor in `X-Next-Cursor` and `Link: <…>; rel="next"` (absent on the last page).
 * `what` says what the list holds and in which order, for the document.
 */
export function ApiPage(type: ClassType<unknown>, what?: string): MethodDecorator {
  return applyDecorators(
    UseInterceptors(PageInterceptor),
    ApiOkResponse({
      type: [type],
      description: `${what ? `${what}. ` : ''}One page (limit, default ${PAGE_DEFAULT}, at most ${PAGE_MAX}); follow ${NEXT_CURSOR_HEADER} or Link for the next`,
      headers: {
        [NEXT_CURSOR_HEADER]: {
          description: 'The cursor of the next page; absent on the last page',
          schema: { type: 'string' },
        },
        Link: {
          description: 'The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page',
          schema: { type: 'string' },
        },
      },
    }),
  );
}
