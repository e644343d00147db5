import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE } from './api-base';
import { CreateWebhook, CreatedWebhook, Webhook, WebhookDelivery } from './models';

/** My webhooks (admins also create admin-scope ones) and their delivery history. */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);

  list(): Observable<Webhook[]> {
    return this.http.get<Webhook[]>(`${API_BASE}/webhooks`);
  }

  create(body: CreateWebhook): Observable<CreatedWebhook> {
    return this.http.post<CreatedWebhook>(`${API_BASE}/webhooks`, body);
  }

  delete(id: string): Observable<void> {
    return this.http.delete<void>(`${API_BASE}/webhooks/${id}`);
  }

  deliveries(id: string): Observable<WebhookDelivery[]> {
    return this.http.get<WebhookDelivery[]>(`${API_BASE}/webhooks/${id}/deliveries`);
  }
}
