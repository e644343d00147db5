import { api as rest, type ApiCall } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import type { ExpiryKind } from '@branchpoint/contracts';
import { HttpApi } from './http-api';
import { ExpiryChange, ExpirySettings } from './models';

export type { ExpiryKind };

/** The PATCH of each kind: all three take the same expiry fields. */
const UPDATES = {
  container: rest.containers.update,
  branch: rest.branches.update,
  bookmark: rest.bookmarks.update,
} satisfies Record<ExpiryKind, (id: string, change: ExpiryChange) => unknown>;

/** Expiry of containers, branches and bookmarks, and the policy (changed by admins). */
@Injectable({ providedIn: 'root' })
export class ExpiryApi {
  private readonly api = inject(HttpApi);

  settings(): Observable<ExpirySettings> {
    return this.api.send(rest.settings.getExpiry());
  }

  saveSettings(settings: ExpirySettings): Observable<ExpirySettings> {
    return this.api.send(rest.settings.putExpiry(settings));
  }

  /** One PATCH of the item; answers the item as it is now. */
  update<T>(kind: ExpiryKind, id: string, change: ExpiryChange): Observable<T> {
    const call: ApiCall<unknown> = UPDATES[kind](id, change);
    return this.api.send(call) as Observable<T>;
  }
}
