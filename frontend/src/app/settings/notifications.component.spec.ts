import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Observable, firstValueFrom } from 'rxjs';
import { Webhook, WebhookDelivery } from '../core/api/models';
import { AuthService } from '../core/auth/auth.service';
import { OperationsService } from '../core/jobs/operations.service';
import { NotificationsComponent } from './notifications.component';

const API = '/api/v1';
const hook: Webhook = {
  id: 'w1',
  url: 'https://hooks.example.com/qa',
  format: 'slack',
  events: ['job.failed', 'bookmark.shared'],
  scope: 'user',
  createdAt: '2026-01-01T00:00:00Z',
};

async function setup(webhooks: Webhook[], { admin = false } = {}) {
  const run = vi.fn(async (_label: string, request: Observable<unknown>) => {
    await firstValueFrom(request, { defaultValue: null });
    return { ok: true };
  });
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: OperationsService, useValue: { run, operations: signal([]) } },
      { provide: AuthService, useValue: { isAdmin: signal(admin), user: signal(null) } },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(NotificationsComponent);
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  const render = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
  };
  http.expectOne(`${API}/webhooks`).flush(webhooks);
  await render();
  const button = (name: string, root: ParentNode = host) =>
    [...root.querySelectorAll('button')].find(
      (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name,
    ) as HTMLButtonElement | undefined;
  const checkbox = (label: string) =>
    [...host.querySelectorAll('mat-checkbox')].find((c) => c.textContent?.includes(label));
  const check = (label: string) =>
    (checkbox(label)!.querySelector('input') as HTMLInputElement).click();
  const type = (text: string) => {
    const input = host.querySelector('input[formcontrolname=url]') as HTMLInputElement;
    input.value = text;
    input.dispatchEvent(new Event('input'));
  };
  return { http, host, render, button, checkbox, check, type, run };
}

describe('NotificationsComponent', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('lists my webhooks with their format and events', async () => {
    const { host } = await setup([hook]);
    const item = host.querySelector('li')!;
    expect(item.textContent).toContain('https://hooks.example.com/qa');
    expect(item.textContent).toContain('Slack');
    expect(item.textContent).toContain('job.failed');
    expect(item.textContent).toContain('bookmark.shared');
  });

  it('creates a webhook and shows its secret once', async () => {
    const { http, host, render, button, check, type, checkbox } = await setup([]);
    expect(host.textContent).toContain('No webhooks yet');
    expect(checkbox('Admin webhook')).toBeUndefined();
    expect(checkbox('host.down')).toBeUndefined();
    expect(button('Add webhook')?.disabled).toBe(true);
    type('https://hooks.example.com/dev');
    check('A bookmark was shared with me');
    await render();
    button('Add webhook')!.click();
    const create = http.expectOne({ method: 'POST', url: `${API}/webhooks` });
    expect(create.request.body).toEqual({
      url: 'https://hooks.example.com/dev',
      format: 'json',
      events: ['bookmark.shared'],
      scope: 'user',
    });
    const created = { ...hook, id: 'w2', url: 'https://hooks.example.com/dev', format: 'json' };
    create.flush({ ...created, secret: 'whsec_0123' });
    await vi.waitFor(() => http.expectOne(`${API}/webhooks`).flush([created]));
    await render();
    expect(host.querySelector('[aria-label="Secret"]')?.textContent).toBe('whsec_0123');
    expect(host.querySelector('li')?.textContent).toContain('https://hooks.example.com/dev');
    button('Hide the secret')!.click();
    await render();
    expect(host.textContent).not.toContain('whsec_0123');
  });

  it('refuses a URL that is not http(s)', async () => {
    const { render, button, check, type } = await setup([]);
    type('ftp://example.com/hook');
    check('An operation of mine failed');
    await render();
    expect(button('Add webhook')?.disabled).toBe(true);
  });

  it('lets an admin create an admin webhook that also hears host events', async () => {
    const { http, render, button, check, type } = await setup([], { admin: true });
    type('https://hooks.example.com/ops');
    check('Admin webhook');
    await render();
    check('A host went down');
    await render();
    button('Add webhook')!.click();
    const create = http.expectOne({ method: 'POST', url: `${API}/webhooks` });
    expect(create.request.body).toMatchObject({ events: ['host.down'], scope: 'admin' });
  });

  it('deletes a webhook only after confirmation', async () => {
    const { http, render, button } = await setup([hook]);
    const overlay = () => document.querySelector('.cdk-overlay-container') as HTMLElement;

    button('Delete webhook https://hooks.example.com/qa')!.click();
    await render();
    expect(overlay().textContent).toContain('Delete this webhook?');
    button('Cancel', overlay())!.click();
    await vi.waitFor(() => expect(document.querySelector('mat-dialog-container')).toBeNull());
    http.expectNone({ method: 'DELETE' });

    button('Delete webhook https://hooks.example.com/qa')!.click();
    await render();
    button('Delete', overlay())!.click();
    const deleted = await vi.waitFor(() =>
      http.expectOne({ method: 'DELETE', url: `${API}/webhooks/w1` }),
    );
    deleted.flush(null, { status: 204, statusText: 'No Content' });
    await vi.waitFor(() => http.expectOne(`${API}/webhooks`).flush([]));
  });

  it('shows the recent deliveries of a webhook, with the category of their outcome', async () => {
    const { http, host, render, button } = await setup([hook]);
    button('Deliveries of https://hooks.example.com/qa')!.click();
    const delivery: WebhookDelivery = {
      id: 'd1',
      event: 'bookmark.shared',
      body: '{}',
      state: 'failed',
      attempts: 3,
      outcome: 'http-5xx',
      createdAt: '2026-01-02T10:00:00Z',
      finishedAt: '2026-01-02T10:01:00Z',
    };
    (await vi.waitFor(() => http.expectOne(`${API}/webhooks/w1/deliveries`))).flush([delivery]);
    await render();
    const cells = [...host.querySelectorAll('tbody td')].map((td) => td.textContent?.trim());
    expect(cells[0]).toBe('bookmark.shared');
    expect(cells[1]).toBe('failed');
    expect(cells[2]).toBe('3');
    expect(cells[3]).toBe('http-5xx');
    expect(host.querySelector('tbody td:nth-child(4) span')?.getAttribute('title')).toBe(
      'The receiver failed (5xx)',
    );
  });
});
