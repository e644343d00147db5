import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { of } from 'rxjs';
import { Host } from '../core/api/models';
import { JobTracker } from '../core/jobs/job-tracker.service';
import { OperationsService } from '../core/jobs/operations.service';
import { aJob } from '../testing/fixtures';
import { HOSTS_REFRESH_MS, HostsAdminComponent, drainSummary } from './hosts-admin.component';

const PINNED = Array.from({ length: 32 }, () => '3A').join(':');

const local: Host = {
  id: 'h1',
  name: 'local',
  url: 'https://127.0.0.1:7070',
  certificateFingerprint: PINNED,
  status: 'down',
  draining: false,
  capacity: null,
  lastError: 'connect ECONNREFUSED',
  checkedAt: '2026-01-01T00:00:00Z',
};

describe('HostsAdminComponent', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('edits a host in a dialog and lists it again as the control plane checked it', async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(HostsAdminComponent);
    const host = fixture.nativeElement as HTMLElement;
    const render = async () => {
      fixture.detectChanges();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    http.expectOne('/api/v1/hosts').flush([local]);
    await render();
    expect(
      host.querySelector('[aria-label="local certificate fingerprint"]')?.textContent,
    ).toContain(`sha256 ${PINNED}`);

    (host.querySelector('[aria-label="Edit local"]') as HTMLButtonElement).click();
    await render();
    const dialog = document.querySelector('mat-dialog-container') as HTMLElement;
    expect(dialog.querySelector('h2')?.textContent).toContain('Edit host local');
    const url = dialog.querySelector('input[formcontrolname=url]') as HTMLInputElement;
    url.value = 'https://127.0.0.1:7071';
    url.dispatchEvent(new Event('input'));
    (dialog.querySelector('button[type=submit]') as HTMLButtonElement).click();

    const moved = {
      ...local,
      url: 'https://127.0.0.1:7071',
      status: 'up' as const,
      lastError: null,
    };
    http.expectOne({ method: 'PATCH', url: '/api/v1/hosts/h1' }).flush(moved);
    await render();
    await vi.waitFor(() => http.expectOne({ method: 'GET', url: '/api/v1/hosts' }).flush([moved]));
    await render();
    expect(host.textContent).toContain('https://127.0.0.1:7071');
    expect(host.textContent).not.toContain('ECONNREFUSED');
  });

  it('registers a host with the fingerprint typed, or without one to pin on first use', async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(HostsAdminComponent);
    const root = fixture.nativeElement as HTMLElement;
    const render = async () => {
      fixture.detectChanges();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    http.expectOne('/api/v1/hosts').flush([]);
    await render();
    const type = (name: string, value: string) => {
      const input = root.querySelector(`input[formcontrolname=${name}]`) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    const submit = root.querySelector('form button[type=submit]') as HTMLButtonElement;
    const base = { name: 'zfs-2', url: 'https://10.0.0.6:7070', token: 'agent-token' };
    type('name', base.name);
    type('url', 'http://10.0.0.6:7070');
    type('token', base.token);
    await render();
    expect(submit.disabled).toBe(true);
    type('url', base.url);
    type('fingerprint', 'AB:CD');
    await render();
    expect(submit.disabled).toBe(true);

    type('fingerprint', ` ${PINNED.toLowerCase()} `);
    await render();
    submit.click();
    const given = http.expectOne({ method: 'POST', url: '/api/v1/hosts' });
    expect(given.request.body).toEqual({ ...base, fingerprint: PINNED.toLowerCase() });
    given.flush({ ...local, ...base, id: 'h2' });
    await vi.waitFor(() => http.expectOne({ method: 'GET', url: '/api/v1/hosts' }).flush([]));

    type('name', base.name);
    type('url', base.url);
    type('token', base.token);
    await render();
    submit.click();
    const tofu = http.expectOne({ method: 'POST', url: '/api/v1/hosts' });
    expect(tofu.request.body).toEqual(base);
    tofu.flush({ ...local, ...base, id: 'h2' });
    await vi.waitFor(() => http.expectOne({ method: 'GET', url: '/api/v1/hosts' }).flush([]));
  });

  it('asks for the hosts again on its own: a host that went down shows so without a reload', async () => {
    vi.useFakeTimers();
    try {
      TestBed.configureTestingModule({
        providers: [provideHttpClient(), provideHttpClientTesting()],
      });
      const http = TestBed.inject(HttpTestingController);
      const fixture = TestBed.createComponent(HostsAdminComponent);
      const status = () =>
        (fixture.nativeElement as HTMLElement).querySelector('.bp-status')?.textContent?.trim();
      http.expectOne('/api/v1/hosts').flush([{ ...local, status: 'up', lastError: null }]);
      fixture.detectChanges();
      expect(status()).toBe('up');
      await vi.advanceTimersByTimeAsync(HOSTS_REFRESH_MS);
      http.expectOne('/api/v1/hosts').flush([local]);
      fixture.detectChanges();
      expect(status()).toBe('down');
      expect(fixture.nativeElement.textContent).toContain('connect ECONNREFUSED');
      fixture.destroy();
      await vi.advanceTimersByTimeAsync(HOSTS_REFRESH_MS);
      http.expectNone('/api/v1/hosts');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('drainSummary', () => {
  it('counts the moves and names what stays with why', () => {
    expect(
      drainSummary('local', {
        moves: [{ containerId: 'c1', name: 'qa', hostId: 'h2', jobId: 'j1' }],
        skipped: [{ containerId: 'c2', name: 'solo', reason: 'template "x" is on no other host' }],
      }),
    ).toBe('local is draining: 1 move started; staying: solo (template "x" is on no other host)');
    expect(drainSummary('local', { moves: [], skipped: [] })).toBe(
      'local is draining: 0 moves started',
    );
  });
});

/** The hosts page over a fake HTTP backend; `render` lets changes settle. */
function mount(providers: Provider[] = []) {
  TestBed.configureTestingModule({
    providers: [provideHttpClient(), provideHttpClientTesting(), ...providers],
  });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(HostsAdminComponent);
  const render = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
    fixture.detectChanges();
  };
  return { http, root: fixture.nativeElement as HTMLElement, render };
}

/** Lists `host` and presses its Drain: answers the confirmation dialog. */
async function openDrain(
  http: HttpTestingController,
  root: HTMLElement,
  render: () => Promise<void>,
  host: Host,
): Promise<HTMLElement> {
  http.expectOne('/api/v1/hosts').flush([host]);
  await render();
  (root.querySelector(`[aria-label="Drain ${host.name}"]`) as HTMLButtonElement).click();
  await render();
  return document.querySelector('mat-dialog-container') as HTMLElement;
}

describe('HostsAdminComponent drain', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('asks first, drains, and offers to end the drain of a draining host', async () => {
    const { http, root, render } = mount();
    const up = { ...local, status: 'up' as const, lastError: null };
    const dialog = await openDrain(http, root, render, up);
    expect(dialog.textContent).toContain('its connection string changes');
    [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Drain')!.click();
    await vi.waitFor(() =>
      http.expectOne({ method: 'POST', url: '/api/v1/hosts/h1/drain' }).flush({
        moves: [],
        skipped: [],
      }),
    );
    await vi.waitFor(() =>
      http.expectOne({ method: 'GET', url: '/api/v1/hosts' }).flush([{ ...up, draining: true }]),
    );
    await render();
    expect(root.textContent).toContain('draining');
    expect(root.querySelector('[aria-label="End the drain of local"]')).not.toBeNull();
  });

  it('follows each move it started, and lists the containers that stay with why', async () => {
    // Each move's job ends at once.
    const track = vi.fn((_jobId: string) => of(aJob({ state: 'succeeded', progress: 100 })));
    const { http, root, render } = mount([{ provide: JobTracker, useValue: { track } }]);
    const up = { ...local, status: 'up' as const, lastError: null };
    const dialog = await openDrain(http, root, render, up);
    [...dialog.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Drain')!.click();
    const drain = await vi.waitFor(() =>
      http.expectOne({ method: 'POST', url: '/api/v1/hosts/h1/drain' }),
    );
    drain.flush({
      moves: [
        { containerId: 'c1', name: 'qa-box', hostId: 'h2', jobId: 'j-1' },
        { containerId: 'c2', name: 'dev-box', hostId: 'h2', jobId: 'j-2' },
      ],
      skipped: [{ containerId: 'c3', name: 'solo', reason: 'template "x" is on no other host' }],
    });
    await vi.waitFor(() =>
      http.expectOne({ method: 'GET', url: '/api/v1/hosts' }).flush([{ ...up, draining: true }]),
    );
    await render();

    const messages = TestBed.inject(OperationsService)
      .operations()
      .map((op) => `${op.label}: ${op.message ?? ''}`);
    expect(messages).toContain(
      'Drain: local is draining: 2 moves started; staying: solo (template "x" is on no other host)',
    );
    expect(track.mock.calls.map(([jobId]) => jobId)).toEqual(['j-1', 'j-2']);
    // The panel's message goes after a while; the list stays under the host.
    const staying = root.querySelector('[aria-label="Staying on local"]');
    expect(staying?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'solo stays: template "x" is on no other host',
    );

    (root.querySelector('[aria-label="End the drain of local"]') as HTMLButtonElement).click();
    await vi.waitFor(() =>
      http.expectOne({ method: 'DELETE', url: '/api/v1/hosts/h1/drain' }).flush(null),
    );
    await vi.waitFor(() => http.expectOne({ method: 'GET', url: '/api/v1/hosts' }).flush([up]));
    await render();
    expect(root.querySelector('[aria-label="Staying on local"]')).toBeNull();
  });
});
