import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { PullRequestConfig, PullRequestEvent } from '../core/api/pull-requests.api';
import { PullRequestsAdminComponent } from './pull-requests-admin.component';

const API = '/api/v1';
const config: PullRequestConfig = {
  id: 'c1',
  templateId: 't1',
  forge: 'github',
  repository: 'acme/shop',
  apiUrl: 'https://api.github.com',
  label: null,
  bookmarkId: 'b1',
  target: 'container',
  containerId: null,
  expiresIn: '7d',
  resetOnPush: true,
  slack: false,
  inboundUrl: '/api/v1/forge/github/c1',
  createdById: 'u1',
  createdAt: '2026-01-01T00:00:00Z',
};
const event: PullRequestEvent = {
  id: 'e1',
  deliveryId: 'd1',
  number: 7,
  action: 'open',
  state: 'ignored',
  detail: 'the pull request has no label "needs-db"',
  commentOutcome: null,
  slackOutcome: null,
  createdAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:00:01Z',
};

/** Matches a request by path (lists add their page query). */
const path = (method: string, url: string) => (req: { method: string; url: string }) =>
  req.method === method && req.url.split('?')[0] === `${API}${url}`;

async function setup(configs: PullRequestConfig[]) {
  TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(PullRequestsAdminComponent);
  const component = fixture.componentInstance as unknown as {
    template: { setValue(id: string): void };
    form: { patchValue(value: Record<string, unknown>): void };
  };
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  const render = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
  };
  http.expectOne(path('GET', '/templates')).flush([{ id: 't1', name: 'shop' }]);
  component.template.setValue('t1');
  http.expectOne(path('GET', '/templates/t1/pull-request-configs')).flush(configs);
  http.expectOne(path('GET', '/bookmarks')).flush([
    { id: 'b1', name: 'for PRs', containerName: 'seed', templateId: 't1' },
    { id: 'b2', name: 'other template', containerName: 'x', templateId: 't2' },
  ]);
  await render();
  const button = (name: string) =>
    [...host.querySelectorAll('button')].find(
      (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name,
    ) as HTMLButtonElement | undefined;
  return { http, host, render, button, component };
}

describe('PullRequestsAdminComponent', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it("lists the template's configurations with their inbound URL, and shows their events", async () => {
    const { http, host, render, button } = await setup([config]);
    const row = host.querySelector('tbody tr')!.textContent ?? '';
    expect(row).toContain('github: acme/shop');
    expect(row).toContain(`${location.origin}/api/v1/forge/github/c1`);
    button('Events')!.click();
    http.expectOne(path('GET', '/pull-request-configs/c1/events')).flush([event]);
    await render();
    expect(host.textContent).toContain('#7 open: ignored the pull request has no label "needs-db"');
  });

  it('adds a configuration and shows its secret once', async () => {
    const { http, host, render, button, component } = await setup([]);
    expect(host.textContent).toContain('No pull-request databases');
    component.form.patchValue({ repository: 'acme/shop', apiToken: 'ghp_x', bookmarkId: 'b1' });
    await render();
    button('Add')!.click();
    const created = http.expectOne(path('POST', '/templates/t1/pull-request-configs'));
    expect(created.request.body).toEqual({
      forge: 'github',
      repository: 'acme/shop',
      apiToken: 'ghp_x',
      bookmarkId: 'b1',
      resetOnPush: true,
      expiresIn: '7d',
    });
    created.flush({ ...config, webhookSecret: 'prsec_abc' });
    await render();
    expect(host.querySelector('[aria-label="New configuration"]')!.textContent).toContain(
      'prsec_abc',
    );
    expect(host.querySelector('tbody')!.textContent).toContain('acme/shop');
    // Ready for the next repository: the token is gone, and no field shows an error.
    const input = (name: string) =>
      host.querySelector<HTMLInputElement>(`form input[formcontrolname=${name}]`)!;
    expect(input('apiToken').value).toBe('');
    expect(input('repository').value).toBe('acme/shop');
    expect(host.querySelector('form mat-error, form .mat-form-field-invalid')).toBeNull();
  });
});
