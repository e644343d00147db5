import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from './api-base';
import {
  Accepted,
  CreateHost,
  CreateTemplate,
  CreateUser,
  Host,
  Template,
  TemplateDetail,
  UpdateHost,
  UpdateTemplate,
  User,
} from './models';

/** Users, hosts and templates (creation is for admins; listing for everyone). */
@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly http = inject(HttpClient);

  users(): Observable<User[]> {
    return this.http.get<User[]>(`${API_BASE}/users`);
  }

  createUser(body: CreateUser): Observable<User> {
    return this.http.post<User>(`${API_BASE}/users`, body);
  }

  hosts(): Observable<Host[]> {
    return this.http.get<Host[]>(`${API_BASE}/hosts`);
  }

  createHost(body: CreateHost): Observable<Host> {
    return this.http.post<Host>(`${API_BASE}/hosts`, body);
  }

  /** A new agent URL or token (admins); the host is checked again at once. */
  updateHost(id: string, body: UpdateHost): Observable<Host> {
    return this.http.patch<Host>(`${API_BASE}/hosts/${id}`, body);
  }

  templates(): Observable<Template[]> {
    return this.http.get<Template[]>(`${API_BASE}/templates`);
  }

  template(id: string): Observable<TemplateDetail> {
    return this.http.get<TemplateDetail>(`${API_BASE}/templates/${id}`);
  }

  createTemplate(body: CreateTemplate): Observable<Accepted> {
    return this.http.post<Accepted>(`${API_BASE}/templates`, body);
  }

  updateTemplate(id: string, body: UpdateTemplate): Observable<TemplateDetail> {
    return this.http.patch<TemplateDetail>(`${API_BASE}/templates/${id}`, body);
  }

  refreshTemplate(id: string): Observable<Accepted> {
    return this.http.post<Accepted>(`${API_BASE}/templates/${id}/refresh`, {});
  }
}
