import { api as rest, type ApiComponents } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';

type Schemas = ApiComponents['schemas'];

/** A template's pull-request databases: which repository, from which bookmark. */
export type PullRequestConfig = Schemas['PullRequestConfigDto'];
/** As created: with the inbound webhook's secret, shown only then. */
export type CreatedPullRequestConfig = Schemas['CreatedPullRequestConfigDto'];
export type CreatePullRequestConfig = Schemas['CreatePullRequestConfigDto'];
export type UpdatePullRequestConfig = Schemas['UpdatePullRequestConfigDto'];
/** One webhook the forge sent, and what was done with it. */
export type PullRequestEvent = Schemas['PullRequestEventDto'];

@Injectable({ providedIn: 'root' })
export class PullRequestsApi {
  private readonly api = inject(HttpApi);

  list(templateId: string): Observable<PullRequestConfig[]> {
    return this.api.sendAll(rest.pullRequestConfigs.list(templateId));
  }

  create(templateId: string, body: CreatePullRequestConfig): Observable<CreatedPullRequestConfig> {
    return this.api.send(rest.pullRequestConfigs.create(templateId, body));
  }

  update(id: string, body: UpdatePullRequestConfig): Observable<PullRequestConfig> {
    return this.api.send(rest.pullRequestConfigs.update(id, body));
  }

  remove(id: string): Observable<void> {
    return this.api.send(rest.pullRequestConfigs.delete(id));
  }

  /** The newest events (one page). */
  events(id: string): Observable<PullRequestEvent[]> {
    return this.api.send(rest.pullRequestConfigs.events(id, { limit: 20 }));
  }
}
