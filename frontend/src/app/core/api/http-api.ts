import { HttpClient, HttpParams, HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { NEXT_CURSOR_HEADER, type ApiCall } from '@branchpoint/api-client';
import { EMPTY, Observable, expand, reduce } from 'rxjs';

/**
 * Sends the generated calls of @branchpoint/api-client over Angular's HttpClient, so they pass
 * the auth interceptor and tests can answer them with HttpTestingController. The feature API
 * services below only pick the call.
 */
@Injectable({ providedIn: 'root' })
export class HttpApi {
  private readonly http = inject(HttpClient);

  send<Answer>(call: ApiCall<Answer>): Observable<Answer> {
    const params = paramsOf(call.query);
    if (call.accept)
      return this.http.request(call.method, call.path, {
        body: call.body,
        params,
        headers: { accept: call.accept },
        responseType: 'text',
      }) as Observable<Answer>;
    return this.http.request<Answer>(call.method, call.path, { body: call.body, params });
  }

  /**
   * Every item of a list call: its first page, then each next page its answer names
   * (X-Next-Cursor), for pages of the UI that show or choose from the whole list.
   */
  sendAll<Item>(call: ApiCall<Item[]>): Observable<Item[]> {
    const page = (cursor: string | null): Observable<HttpResponse<Item[]>> =>
      this.http.request<Item[]>(call.method, call.path, {
        params: paramsOf({ ...call.query, ...(cursor ? { cursor } : {}) }),
        observe: 'response',
      });
    return page(null).pipe(
      expand((answer) => {
        const next = answer.headers.get(NEXT_CURSOR_HEADER);
        return next ? page(next) : EMPTY;
      }),
      reduce((items: Item[], answer) => [...items, ...(answer.body ?? [])], []),
    );
  }
}

function paramsOf(query: ApiCall<unknown>['query']): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== '') params = params.set(key, String(value));
  return params;
}
