/** What one operation of the REST API sends: made by `api`, sent by a client (fetch or Angular). */
export interface ApiCall<Answer> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** From the server's origin, e.g. `/api/v1/containers/<id>`; path parameters are encoded. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** The answer's media type when it is not JSON (then the answer is its text). */
  accept?: string;
  /** Type only: what a success answers. */
  readonly answer?: Answer;
}

export function apiCall<Answer>(
  method: ApiCall<Answer>['method'],
  path: string,
  options: { body?: unknown; query?: object; accept?: string } = {},
): ApiCall<Answer> {
  const call: ApiCall<Answer> = { method, path };
  if (options.body !== undefined) call.body = options.body;
  if (options.query !== undefined) call.query = options.query as ApiCall<Answer>['query'];
  if (options.accept !== undefined) call.accept = options.accept;
  return call;
}

/** The header in which a list answer names the cursor of its next page (absent on the last). */
export const NEXT_CURSOR_HEADER = 'x-next-cursor';

/** The most items a list answers per page. */
export const PAGE_MAX = 500;

/** One page of a list: its items and the cursor of the next page (null on the last). */
export interface ListPage<Item> {
  items: Item[];
  next: string | null;
}

/** The same list call for the page at `cursor`; without a limit of its own, full pages. */
export function pageCall<Item>(call: ApiCall<Item[]>, cursor: string | null): ApiCall<Item[]> {
  const query = { limit: PAGE_MAX, ...call.query, ...(cursor ? { cursor } : {}) };
  return { ...call, query };
}

/** A path parameter, encoded so that no value can change the path. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/** The query string of a call (`?a=1&b=x`), without undefined values; empty without any. */
export function queryString(query: ApiCall<unknown>['query']): string {
  const entries = Object.entries(query ?? {}).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return '';
  const pairs = entries.map(([key, value]): [string, string] => [key, String(value)]);
  return `?${new URLSearchParams(pairs).toString()}`;
}

// The types of an operation of the generated `paths` (openapi-typescript's shapes).
type JsonOf<Content> = Content extends { content: { 'application/json': infer Body } }
  ? Body
  : void;

/** What a success answers: the JSON of its 200, 201 or 202, else nothing (204). */
export type Answer<Operation> = Operation extends { responses: infer Responses }
  ? Responses extends { 200: infer R }
    ? JsonOf<R>
    : Responses extends { 201: infer R }
      ? JsonOf<R>
      : Responses extends { 202: infer R }
        ? JsonOf<R>
        : void
  : never;

export type JsonBody<Operation> = Operation extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

export type QueryOf<Operation> = Operation extends { parameters: { query?: infer Query } }
  ? NonNullable<Query>
  : never;
