import { api as rest } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';
import { DestroyedOrphans, Orphan, ReconciliationReport } from './models';

/** Reconciliation of the catalog with the hosts, and the orphans only an admin destroys. */
@Injectable({ providedIn: 'root' })
export class ReconciliationApi {
  private readonly api = inject(HttpApi);

  /** The last report per host. */
  reports(): Observable<ReconciliationReport[]> {
    return this.api.send(rest.reconciliation.reports());
  }

  /** Runs a cycle now: repairs what the hosts prove, reports the rest. */
  run(): Observable<ReconciliationReport[]> {
    return this.api.send(rest.reconciliation.run());
  }

  orphans(): Observable<Orphan[]> {
    return this.api.send(rest.reconciliation.orphans());
  }

  destroy(hostId: string, keys: string[]): Observable<DestroyedOrphans> {
    return this.api.send(rest.reconciliation.destroy({ hostId, keys }));
  }
}
