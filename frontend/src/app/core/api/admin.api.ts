import { api as rest } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';
import {
  Accepted,
  CreateHost,
  CreateTemplate,
  CreateUser,
  DeletedUser,
  DrainResult,
  Host,
  Template,
  TemplateDetail,
  UpdateHost,
  UpdateTemplate,
  User,
} from './models';

/** Users, hosts and templates (creation is for admins; listing, every page of it, for everyone). */
@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly api = inject(HttpApi);

  users(): Observable<User[]> {
    return this.api.sendAll(rest.users.list());
  }

  createUser(body: CreateUser): Observable<User> {
    return this.api.send(rest.users.create(body));
  }

  /** A new password for the user; their sessions end. */
  resetPassword(id: string, password: string): Observable<void> {
    return this.api.send(rest.accounts.resetPassword(id, { password }));
  }

  setDisabled(id: string, disabled: boolean): Observable<User> {
    return this.api.send(disabled ? rest.accounts.disable(id) : rest.accounts.enable(id));
  }

  /** Deletes the user; their containers go to `to`, or those they own alone are deleted. */
  deleteUser(id: string, to: string | null): Observable<DeletedUser> {
    return this.api.send(
      rest.accounts.delete(id, to ? { containers: 'transfer', to } : { containers: 'delete' }),
    );
  }

  hosts(): Observable<Host[]> {
    return this.api.sendAll(rest.hosts.list());
  }

  createHost(body: CreateHost): Observable<Host> {
    return this.api.send(rest.hosts.create(body));
  }

  /** A new agent URL or token (admins); the host is checked again at once. */
  updateHost(id: string, body: UpdateHost): Observable<Host> {
    return this.api.send(rest.hosts.update(id, body));
  }

  templates(): Observable<Template[]> {
    return this.api.sendAll(rest.templates.list());
  }

  template(id: string): Observable<TemplateDetail> {
    return this.api.send(rest.templates.get(id));
  }

  createTemplate(body: CreateTemplate): Observable<Accepted> {
    return this.api.send(rest.templates.create(body));
  }

  updateTemplate(id: string, body: UpdateTemplate): Observable<TemplateDetail> {
    return this.api.send(rest.templates.update(id, body));
  }

  refreshTemplate(id: string): Observable<Accepted> {
    return this.api.send(rest.templates.refresh(id));
  }

  /** Makes the template available on another host: its newest version is sent there. */
  addTemplateHost(id: string, hostId: string): Observable<Accepted> {
    return this.api.send(rest.templateHosts.add(id, { hostId }));
  }

  /** The host takes no new containers, and a move starts for each container on it. */
  drainHost(id: string): Observable<DrainResult> {
    return this.api.send(rest.moves.drain(id));
  }

  /** The host takes new containers again. */
  endDrain(id: string): Observable<void> {
    return this.api.send(rest.moves.endDrain(id));
  }

  /** Takes the template off a host that is not its origin (its copy there is destroyed). */
  removeTemplateHost(id: string, hostId: string): Observable<Accepted> {
    return this.api.send(rest.templateHosts.remove(id, hostId));
  }
}
