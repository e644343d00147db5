import { api as rest } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';
import { CreateWebhook, CreatedWebhook, Webhook, WebhookDelivery } from './models';

/** My webhooks (admins also create admin-scope ones) and their delivery history. */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly api = inject(HttpApi);

  list(): Observable<Webhook[]> {
    return this.api.sendAll(rest.webhooks.list());
  }

  create(body: CreateWebhook): Observable<CreatedWebhook> {
    return this.api.send(rest.webhooks.create(body));
  }

  delete(id: string): Observable<void> {
    return this.api.send(rest.webhooks.delete(id));
  }

  deliveries(id: string): Observable<WebhookDelivery[]> {
    return this.api.sendAll(rest.webhooks.deliveries(id));
  }
}
