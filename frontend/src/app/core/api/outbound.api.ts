import { api as rest, type ApiComponents } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';

type Schemas = ApiComponents['schemas'];

/** A host or range webhooks may reach although it is not a public address. */
export type OutboundRule = Schemas['OutboundRuleDto'];
export type CreateOutboundRule = Schemas['CreateOutboundRuleDto'];

/** Admins' allow list of the outbound fence (BP_OUTBOUND_ALLOW's entries are listed, read-only). */
@Injectable({ providedIn: 'root' })
export class OutboundApi {
  private readonly api = inject(HttpApi);

  list(): Observable<OutboundRule[]> {
    return this.api.sendAll(rest.outbound.list());
  }

  add(body: CreateOutboundRule): Observable<OutboundRule> {
    return this.api.send(rest.outbound.add(body));
  }

  remove(id: string): Observable<void> {
    return this.api.send(rest.outbound.remove(id));
  }
}
