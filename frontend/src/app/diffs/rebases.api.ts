import { api as rest, type ApiComponents } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from '../core/api/http-api';
import { Accepted } from '../core/api/models';

export type Rebase = ApiComponents['schemas']['RebaseDto'];

/** Rebases: a branch's changes carried onto a new branch of the template's newest version. */
@Injectable({ providedIn: 'root' })
export class RebasesApi {
  private readonly api = inject(HttpApi);

  create(branchId: string): Observable<Accepted> {
    return this.api.send(rest.rebases.create(branchId, {}));
  }

  get(id: string): Observable<Rebase> {
    return this.api.send(rest.rebases.get(id));
  }
}
