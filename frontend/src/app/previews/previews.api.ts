import { api as rest, type ApiComponents } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { HttpApi } from '../core/api/http-api';
import { Accepted } from '../core/api/models';

type Schemas = ApiComponents['schemas'];
export type Preview = Schemas['PreviewDto'];
export type PreviewTable = Schemas['PreviewTableDto'];
export type PreviewRows = Schemas['PreviewRowsDto'];

/** Previews: a bookmark or point served read-only for a while, and its table browser. */
@Injectable({ providedIn: 'root' })
export class PreviewsApi {
  private readonly api = inject(HttpApi);

  /** `minutes`: how long it lives (at most 240). */
  create(target: { bookmarkId: string } | { pointId: string }, minutes = 30): Observable<Accepted> {
    return this.api.send(rest.previews.create({ ...target, minutes }));
  }

  get(id: string): Observable<Preview> {
    return this.api.send(rest.previews.get(id));
  }

  delete(id: string): Observable<null> {
    return this.api.send(rest.previews.delete(id)).pipe(map(() => null));
  }

  tables(id: string): Observable<PreviewTable[]> {
    return this.api.send(rest.previews.tables(id));
  }

  rows(id: string, table: string, limit = 50): Observable<PreviewRows> {
    return this.api.send(rest.previews.rows(id, table, { limit }));
  }
}
