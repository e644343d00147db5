import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from './api-base';
import { Job } from './models';

/** Job status: the polling fallback for live progress. */
@Injectable({ providedIn: 'root' })
export class JobsApi {
  private readonly http = inject(HttpClient);

  get(id: string): Observable<Job> {
    return this.http.get<Job>(`${API_BASE}/jobs/${id}`);
  }
}
