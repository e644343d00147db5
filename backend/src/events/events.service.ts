import { Injectable } from '@nestjs/common';
import type {
  ContainerMoved,
  ExpiryWarning,
  JobView,
  ServerEventName,
  ServerEventPayload,
} from '@branchpoint/contracts';
import { AccessService, type Audience } from '../access/access.service.js';
import { EVERYONE_ROOM, EventsGateway, userRoom } from './events.gateway.js';

/** Pushes typed events to everyone who may see a container: owners and users it is shared with. */
@Injectable()
export class EventsService {
  constructor(
    private readonly gateway: EventsGateway,
    private readonly access: AccessService,
  ) {}

  /** Who hears of a container's changes (none besides the job's user for a job without one). */
  audienceOf(containerId: string | null): Promise<Audience> {
    return containerId
      ? this.access.audience(containerId)
      : Promise.resolve({ userIds: [], everyone: false });
  }

  /** `audience`: the job's container's (audienceOf), read once per job by the caller. */
  jobUpdated(job: JobView, userId: string, audience: Audience): void {
    this.emit('job.updated', job, [...audience.userIds, userId], audience.everyone);
  }

  async containerChanged(containerId: string): Promise<void> {
    await this.toAudience(containerId, 'container.changed', { containerId });
  }

  async containerMoved(moved: ContainerMoved): Promise<void> {
    await this.toAudience(moved.containerId, 'container.moved', moved);
  }

  async timelineChanged(containerId: string, branchId: string): Promise<void> {
    await this.toAudience(containerId, 'timeline.changed', { containerId, branchId });
  }

  /** Warnings go to the owners only: a container's expiry is their business. */
  expiryWarning(warning: ExpiryWarning, ownerIds: string[]): void {
    this.emit('expiry.warning', warning, ownerIds, false);
  }

  private async toAudience<E extends ServerEventName>(
    containerId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): Promise<void> {
    const audience = await this.access.audience(containerId);
    this.emit(event, payload, audience.userIds, audience.everyone);
  }

  private emit<E extends ServerEventName>(
    event: E,
    payload: ServerEventPayload<E>,
    userIds: string[],
    everyone: boolean,
  ): void {
    const server = this.gateway.server;
    if (!server) return;
    const rooms = everyone ? [EVERYONE_ROOM] : [...new Set(userIds)].map(userRoom);
    if (rooms.length === 0) return;
    (server.to(rooms).emit as (event: E, payload: ServerEventPayload<E>) => boolean)(
      event,
      payload,
    );
  }
}
