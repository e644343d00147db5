import { api as rest, type ApiComponents } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from '../core/api/http-api';
import { Accepted } from '../core/api/models';

export type Diff = ApiComponents['schemas']['DiffDto'];
export type TableDiff = ApiComponents['schemas']['TableDiffDto'];

/** Diffs of two bookmarks or points of one template. */
@Injectable({ providedIn: 'root' })
export class DiffsApi {
  private readonly api = inject(HttpApi);

  create(from: string, to: string): Observable<Accepted> {
    return this.api.send(rest.diffs.create({ from, to }));
  }

  get(id: string): Observable<Diff> {
    return this.api.send(rest.diffs.get(id));
  }
}
