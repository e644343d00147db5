import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import type { ExpiryKind } from '@branchpoint/contracts';
import { API_BASE } from './api-base';
import { ExpiryChange, ExpirySettings } from './models';

export type { ExpiryKind };

const PATHS: Record<ExpiryKind, string> = {
  container: 'containers',
  branch: 'branches',
  bookmark: 'bookmarks',
};

/** Expiry of containers, branches and bookmarks, and the policy (changed by admins). */
@Injectable({ providedIn: 'root' })
export class ExpiryApi {
  private readonly http = inject(HttpClient);

  settings(): Observable<ExpirySettings> {
    return this.http.get<ExpirySettings>(`${API_BASE}/settings/expiry`);
  }

  saveSettings(settings: ExpirySettings): Observable<ExpirySettings> {
    return this.http.put<ExpirySettings>(`${API_BASE}/settings/expiry`, settings);
  }

  /** One PATCH of the item; answers the item as it is now. */
  update<T>(kind: ExpiryKind, id: string, change: ExpiryChange): Observable<T> {
    return this.http.patch<T>(`${API_BASE}/${PATHS[kind]}/${id}`, change);
  }
}
