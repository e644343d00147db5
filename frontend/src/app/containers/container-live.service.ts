import { Injectable, inject } from '@angular/core';
import { JobName } from '@branchpoint/contracts';
import { Observable, distinct, filter, interval, merge } from 'rxjs';
import { Job } from '../core/api/models';
import { isFinished } from '../core/jobs/job-tracker.service';
import { ContainerEvent, ContainerMoved, SocketEvents } from '../core/socket/socket-events';
import { SocketService } from '../core/socket/socket.service';

const POLL_WHEN_OFFLINE_MS = 10_000;

/**
 * Emits whenever a container changed. The control plane pushes these events to everyone who
 * may see the container, so other viewers see the timeline move; while the socket is down,
 * slow polling stands in.
 */
@Injectable({ providedIn: 'root' })
export class ContainerLiveService {
  private readonly socket = inject(SocketService);

  changes(containerId: string): Observable<unknown> {
    const about = (e: { containerId: string | null }) => e.containerId === containerId;
    const jobs = this.socket
      .on<Job>(SocketEvents.jobUpdated)
      .pipe(filter((job) => job.containerId === containerId));
    return merge(
      this.socket.on<ContainerEvent>(SocketEvents.containerChanged).pipe(filter(about)),
      this.socket.on<ContainerEvent>(SocketEvents.timelineChanged).pipe(filter(about)),
      // Its connection strings changed.
      this.socket.on<ContainerMoved>(SocketEvents.containerMoved).pipe(filter(about)),
      jobs.pipe(filter(isFinished)),
      // A move (from this page, a co-owner or an admin's drain) makes the container `moving`
      // without a container.changed: its job's first update shows it.
      jobs.pipe(
        filter((job) => job.type === JobName.MoveContainer),
        distinct((job) => job.id),
      ),
      interval(POLL_WHEN_OFFLINE_MS).pipe(filter(() => !this.socket.connected())),
    );
  }
}
