import { api as rest } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';
import { Usage } from './models';

/** Logical vs physical storage per user, template and container. */
@Injectable({ providedIn: 'root' })
export class UsageApi {
  private readonly api = inject(HttpApi);

  get(): Observable<Usage> {
    return this.api.send(rest.usage.get());
  }
}
