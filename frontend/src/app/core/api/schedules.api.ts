import { api as rest, type ApiComponents } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';

export type Schedule = ApiComponents['schemas']['ScheduleDto'];
export type PutSchedule = ApiComponents['schemas']['PutScheduleDto'];

/** When containers stop and start: a container's own schedule, and one's default (docs/api.md). */
@Injectable({ providedIn: 'root' })
export class SchedulesApi {
  private readonly api = inject(HttpApi);

  forContainer(id: string): Observable<Schedule> {
    return this.api.send(rest.schedules.getForContainer(id));
  }

  setForContainer(id: string, body: PutSchedule): Observable<Schedule> {
    return this.api.send(rest.schedules.putForContainer(id, body));
  }

  removeForContainer(id: string): Observable<unknown> {
    return this.api.send(rest.schedules.deleteForContainer(id));
  }
}
