import { api as rest } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';
import { Accepted, Orphan, ReconciliationReport } from './models';

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

  /** The preview: what the catalog does not know on every host, with its verdict and fingerprint. */
  orphans(): Observable<Orphan[]> {
    return this.api.send(rest.reconciliation.orphans());
  }

  /**
   * Starts the job that destroys exactly these orphans of one host, as previewed (their
   * fingerprints): 409 naming any that changed, is another installation's or is no orphan now.
   */
  destroy(hostId: string, orphans: Pick<Orphan, 'key' | 'fingerprint'>[]): Observable<Accepted> {
    const confirmed = orphans.map(({ key, fingerprint }) => ({ key, fingerprint }));
    return this.api.send(rest.reconciliation.destroy({ hostId, orphans: confirmed }));
  }
}
