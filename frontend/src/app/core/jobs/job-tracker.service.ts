import { Injectable, inject } from '@angular/core';
import {
  EMPTY,
  Observable,
  catchError,
  distinctUntilChanged,
  exhaustMap,
  filter,
  merge,
  takeWhile,
  timer,
} from 'rxjs';
import { JobsApi } from '../api/jobs.api';
import { Job } from '../api/models';
import { SocketEvents } from '../socket/socket-events';
import { SocketService } from '../socket/socket.service';

const POLL_MS = 1000;
/**
 * While the socket is up, the job is read only at the start (a change before we listened) and
 * every this many ticks as a safety net for a lost event: completion comes from the push.
 */
const POLL_EVERY_WHEN_CONNECTED = 30;

export function isFinished(job: Job): boolean {
  return job.state === 'succeeded' || job.state === 'failed';
}

/** Follows one job to its end: socket.io pushes, with `GET /jobs/:id` polling while the socket is down. */
@Injectable({ providedIn: 'root' })
export class JobTracker {
  private readonly socket = inject(SocketService);
  private readonly jobs = inject(JobsApi);

  track(jobId: string): Observable<Job> {
    const pushed = this.socket
      .on<Job>(SocketEvents.jobUpdated)
      .pipe(filter((job) => job.id === jobId));
    const polled = timer(0, POLL_MS).pipe(
      filter((tick) => !this.socket.connected() || tick % POLL_EVERY_WHEN_CONNECTED === 0),
      exhaustMap(() => this.jobs.get(jobId).pipe(catchError(() => EMPTY))),
    );
    return merge(pushed, polled).pipe(
      distinctUntilChanged(
        (a, b) => a.state === b.state && a.progress === b.progress && a.log.length === b.log.length,
      ),
      takeWhile((job) => !isFinished(job), true),
    );
  }
}
