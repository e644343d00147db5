import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from './api-base';
import {
  Accepted,
  Branch,
  Container,
  CreateBranch,
  CreateContainer,
  ServerSettings,
  TimelinePoint,
} from './models';

export type ContainerOperation = 'refresh' | 'undo' | 'lock' | 'unlock' | 'start' | 'stop';

/** Containers, their branches and timelines. */
@Injectable({ providedIn: 'root' })
export class ContainersApi {
  private readonly http = inject(HttpClient);

  list(): Observable<Container[]> {
    return this.http.get<Container[]>(`${API_BASE}/containers`);
  }

  get(id: string): Observable<Container> {
    return this.http.get<Container>(`${API_BASE}/containers/${id}`);
  }

  create(body: CreateContainer): Observable<Accepted> {
    return this.http.post<Accepted>(`${API_BASE}/containers`, body);
  }

  delete(id: string): Observable<Accepted | null> {
    return this.http.delete<Accepted | null>(`${API_BASE}/containers/${id}`);
  }

  operate(id: string, operation: ContainerOperation): Observable<Accepted> {
    return this.http.post<Accepted>(`${API_BASE}/containers/${id}/${operation}`, {});
  }

  addOwner(id: string, userId: string): Observable<Container> {
    return this.http.post<Container>(`${API_BASE}/containers/${id}/owners`, { userId });
  }

  removeOwner(id: string, userId: string): Observable<Container> {
    return this.http.delete<Container>(`${API_BASE}/containers/${id}/owners/${userId}`);
  }

  /** Server parameters the owners changed on the active branch (409 while stopped). */
  settings(id: string): Observable<ServerSettings> {
    return this.http.get<ServerSettings>(`${API_BASE}/containers/${id}/settings`);
  }

  /** A value, or null to reset the parameter; records a `settings` point first. */
  updateSettings(id: string, settings: Record<string, string | null>): Observable<Accepted> {
    return this.http.patch<Accepted>(`${API_BASE}/containers/${id}/settings`, { settings });
  }

  rotateCredentials(id: string): Observable<Accepted> {
    return this.http.post<Accepted>(`${API_BASE}/containers/${id}/credentials/rotate`, {});
  }

  /** PEM of the CA the container's servers' certificates chain to. */
  caCertificate(id: string): Observable<string> {
    return this.http.get(`${API_BASE}/containers/${id}/ca-certificate`, { responseType: 'text' });
  }

  branches(containerId: string): Observable<Branch[]> {
    return this.http.get<Branch[]>(`${API_BASE}/containers/${containerId}/branches`);
  }

  createBranch(containerId: string, body: CreateBranch): Observable<Accepted> {
    return this.http.post<Accepted>(`${API_BASE}/containers/${containerId}/branches`, body);
  }

  activate(branchId: string): Observable<Accepted> {
    return this.http.post<Accepted>(`${API_BASE}/branches/${branchId}/activate`, {});
  }

  deleteBranch(branchId: string): Observable<Accepted | null> {
    return this.http.delete<Accepted | null>(`${API_BASE}/branches/${branchId}`);
  }

  timeline(branchId: string): Observable<TimelinePoint[]> {
    return this.http.get<TimelinePoint[]>(`${API_BASE}/branches/${branchId}/timeline`);
  }

  restore(
    branchId: string,
    target: { bookmarkId: string } | { pointId: string },
  ): Observable<Accepted> {
    return this.http.post<Accepted>(`${API_BASE}/branches/${branchId}/restore`, target);
  }

  reset(branchId: string): Observable<Accepted> {
    return this.http.post<Accepted>(`${API_BASE}/branches/${branchId}/reset`, {});
  }
}
