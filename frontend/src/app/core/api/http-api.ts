import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { ApiCall } from '@branchpoint/api-client';
import { Observable } from 'rxjs';

/**
 * Sends the generated calls of @branchpoint/api-client over Angular's HttpClient, so they pass
 * the auth interceptor and tests can answer them with HttpTestingController. The feature API
 * services below only pick the call.
 */
@Injectable({ providedIn: 'root' })
export class HttpApi {
  private readonly http = inject(HttpClient);

  send<Answer>(call: ApiCall<Answer>): Observable<Answer> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(call.query ?? {}))
      if (value !== undefined && value !== '') params = params.set(key, String(value));
    if (call.accept)
      return this.http.request(call.method, call.path, {
        body: call.body,
        params,
        headers: { accept: call.accept },
        responseType: 'text',
      }) as Observable<Answer>;
    return this.http.request<Answer>(call.method, call.path, { body: call.body, params });
  }
}
