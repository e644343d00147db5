import { api as rest, type ApiCall } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';
import {
  Accepted,
  Branch,
  Container,
  CreateBranch,
  CreateContainer,
  Placement,
  ServerSettings,
  TimelinePoint,
} from './models';

export type ContainerOperation = 'refresh' | 'undo' | 'lock' | 'unlock' | 'start' | 'stop';

/** Points per timeline request: the API's maximum page (PAGE_MAX). */
export const TIMELINE_PAGE = 500;

/** Containers, their branches and timelines. */
@Injectable({ providedIn: 'root' })
export class ContainersApi {
  private readonly api = inject(HttpApi);

  list(): Observable<Container[]> {
    return this.api.sendAll(rest.containers.list());
  }

  get(id: string): Observable<Container> {
    return this.api.send(rest.containers.get(id));
  }

  create(body: CreateContainer): Observable<Accepted> {
    return this.api.send(rest.containers.create(body));
  }

  /** Where a new container of the template may go, best first (hostId of create). */
  placement(templateId: string): Observable<Placement> {
    return this.api.send(rest.placement.get(templateId));
  }

  delete(id: string): Observable<Accepted | null> {
    return this.api.send(rest.containers.delete(id));
  }

  operate(id: string, operation: ContainerOperation): Observable<Accepted> {
    // lock and unlock answer the container at once; the others a job.
    const call: ApiCall<unknown> = rest.containers[operation](id);
    return this.api.send(call) as Observable<Accepted>;
  }

  /** Moves the container (branches, points, bookmarks) to another host: a job. */
  move(id: string, hostId: string): Observable<Accepted> {
    return this.api.send(rest.moves.move(id, { hostId }));
  }

  addOwner(id: string, userId: string): Observable<Container> {
    return this.api.send(rest.containers.addOwner(id, { userId }));
  }

  removeOwner(id: string, userId: string): Observable<Container> {
    return this.api.send(rest.containers.removeOwner(id, userId));
  }

  /** Server parameters the owners changed on the active branch (409 while stopped). */
  settings(id: string): Observable<ServerSettings> {
    return this.api.send(rest.containers.getSettings(id));
  }

  /** A value, or null to reset the parameter; records a `settings` point first. */
  updateSettings(id: string, settings: Record<string, string | null>): Observable<Accepted> {
    return this.api.send(rest.containers.updateSettings(id, { settings }));
  }

  rotateCredentials(id: string): Observable<Accepted> {
    return this.api.send(rest.containers.rotateCredentials(id));
  }

  /** PEM of the CA the container's servers' certificates chain to. */
  caCertificate(id: string): Observable<string> {
    return this.api.send(rest.containers.caCertificate(id));
  }

  branches(containerId: string): Observable<Branch[]> {
    return this.api.sendAll(rest.branches.list(containerId));
  }

  createBranch(containerId: string, body: CreateBranch): Observable<Accepted> {
    return this.api.send(rest.branches.create(containerId, body));
  }

  activate(branchId: string): Observable<Accepted> {
    return this.api.send(rest.branches.activate(branchId));
  }

  deleteBranch(branchId: string): Observable<Accepted | null> {
    return this.api.send(rest.branches.delete(branchId));
  }

  /** Every point of the branch, in pages of the most the API gives (a long timeline: few requests). */
  timeline(branchId: string): Observable<TimelinePoint[]> {
    return this.api.sendAll(rest.branches.timeline(branchId, { limit: TIMELINE_PAGE }));
  }

  restore(
    branchId: string,
    target: { bookmarkId: string } | { pointId: string },
  ): Observable<Accepted> {
    return this.api.send(rest.branches.restore(branchId, target));
  }

  reset(branchId: string): Observable<Accepted> {
    return this.api.send(rest.branches.reset(branchId));
  }
}
