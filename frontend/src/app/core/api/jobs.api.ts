import { api as rest } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';
import { Job } from './models';

/** Job status: the polling fallback for live progress. */
@Injectable({ providedIn: 'root' })
export class JobsApi {
  private readonly api = inject(HttpApi);

  get(id: string): Observable<Job> {
    return this.api.send(rest.jobs.get(id));
  }
}
