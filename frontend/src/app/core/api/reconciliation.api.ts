import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from './api-base';
import { DestroyedOrphans, Orphan, ReconciliationReport } from './models';

/** Reconciliation of the catalog with the hosts, and the orphans only an admin destroys. */
@Injectable({ providedIn: 'root' })
export class ReconciliationApi {
  private readonly http = inject(HttpClient);

  /** The last report per host. */
  reports(): Observable<ReconciliationReport[]> {
    return this.http.get<ReconciliationReport[]>(`${API_BASE}/reconciliation`);
  }

  /** Runs a cycle now: repairs what the hosts prove, reports the rest. */
  run(): Observable<ReconciliationReport[]> {
    return this.http.post<ReconciliationReport[]>(`${API_BASE}/reconciliation`, {});
  }

  orphans(): Observable<Orphan[]> {
    return this.http.get<Orphan[]>(`${API_BASE}/reconciliation/orphans`);
  }

  destroy(hostId: string, keys: string[]): Observable<DestroyedOrphans> {
    return this.http.post<DestroyedOrphans>(`${API_BASE}/reconciliation/orphans/destroy`, {
      hostId,
      keys,
    });
  }
}
