import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from './api-base';
import { Usage } from './models';

/** Logical vs physical storage per user, template and container. */
@Injectable({ providedIn: 'root' })
export class UsageApi {
  private readonly http = inject(HttpClient);

  get(): Observable<Usage> {
    return this.http.get<Usage>(`${API_BASE}/usage`);
  }
}
