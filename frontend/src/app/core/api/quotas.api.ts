import { api as rest, type ApiComponents } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';

type Schemas = ApiComponents['schemas'];

/** A limit per kind; null: none (the default) or "the default applies" (a user's override). */
export type QuotaLimits = Schemas['QuotaLimitsDto'];
export type UserQuotas = Schemas['UserQuotasDto'];
export type QuotaUse = Schemas['QuotaUseDto'];
export type QuotaKind = QuotaUse['kind'];

/** How each quota is named on the usage page and in the editor. */
export const QUOTA_LABELS: Readonly<Record<QuotaKind, string>> = {
  containers: 'Containers',
  runningServers: 'Running servers',
  branchesPerContainer: 'Branches per container',
  bookmarks: 'Bookmarks',
};

export const QUOTA_KINDS = Object.keys(QUOTA_LABELS) as QuotaKind[];

/** Admins' quotas: the default for everyone and overrides per user. */
@Injectable({ providedIn: 'root' })
export class QuotasApi {
  private readonly api = inject(HttpApi);

  defaults(): Observable<QuotaLimits> {
    return this.api.send(rest.quotas.getDefaults());
  }

  saveDefaults(limits: QuotaLimits): Observable<QuotaLimits> {
    return this.api.send(rest.quotas.putDefaults(limits));
  }

  ofUser(userId: string): Observable<UserQuotas> {
    return this.api.send(rest.quotas.getOfUser(userId));
  }

  saveOfUser(userId: string, limits: QuotaLimits): Observable<UserQuotas> {
    return this.api.send(rest.quotas.putOfUser(userId, limits));
  }
}
