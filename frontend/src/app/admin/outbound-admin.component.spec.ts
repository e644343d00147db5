import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Observable, firstValueFrom } from 'rxjs';
import { OutboundRule } from '../core/api/outbound.api';
import { OperationsService } from '../core/jobs/operations.service';
import { OutboundAdminComponent } from './outbound-admin.component';

const API = '/api/v1';
const fromEnv: OutboundRule = {
  id: null,
  entry: '127.0.0.1/32',
  note: 'BP_OUTBOUND_ALLOW',
  source: 'environment',
  createdAt: null,
};
const byAdmin: OutboundRule = {
  id: 'r1',
  entry: '10.20.0.0/16',
  note: 'build farm',
  source: 'admin',
  createdAt: '2026-01-01T00:00:00Z',
};

async function setup(rules: OutboundRule[]) {
  const run = vi.fn(async (_label: string, request: Observable<unknown>) => {
    await firstValueFrom(request, { defaultValue: null });
    return { ok: true };
  });
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: OperationsService, useValue: { run, operations: signal([]) } },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(OutboundAdminComponent);
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  const render = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
  };
  http.expectOne(`${API}/settings/outbound`).flush(rules);
  await render();
  const button = (name: string, root: ParentNode = host) =>
    [...root.querySelectorAll('button')].find(
      (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name,
    ) as HTMLButtonElement | undefined;
  const type = (name: string, text: string) => {
    const input = host.querySelector(`input[formcontrolname=${name}]`) as HTMLInputElement;
    input.value = text;
    input.dispatchEvent(new Event('input'));
  };
  return { http, host, render, button, type, run };
}

describe('OutboundAdminComponent', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it("lists the environment's entries read-only and the admins' with a remove button", async () => {
    const { host, button } = await setup([fromEnv, byAdmin]);
    const rows = [...host.querySelectorAll('tbody tr')].map((tr) => tr.textContent ?? '');
    expect(rows[0]).toContain('127.0.0.1/32');
    expect(rows[0]).toContain('BP_OUTBOUND_ALLOW');
    expect(rows[1]).toContain('10.20.0.0/16');
    expect(rows[1]).toContain('build farm');
    expect(button('Stop allowing 127.0.0.1/32')).toBeUndefined();
    expect(button('Stop allowing 10.20.0.0/16')).toBeDefined();
  });

  it('says only public addresses are reached when nothing is allowed', async () => {
    const { host } = await setup([]);
    expect(host.textContent).toContain('Only public addresses');
  });

  it('allows an entry with its note, trimmed, and reloads', async () => {
    const { http, render, button, type, run } = await setup([]);
    expect(button('Allow')?.disabled).toBe(true);
    type('entry', ' hooks.internal ');
    type('note', 'CI receiver');
    await render();
    button('Allow')!.click();
    const added = await vi.waitFor(() =>
      http.expectOne({ method: 'POST', url: `${API}/settings/outbound` }),
    );
    expect(added.request.body).toEqual({ entry: 'hooks.internal', note: 'CI receiver' });
    added.flush({ ...byAdmin, entry: 'hooks.internal' });
    await vi.waitFor(() => http.expectOne(`${API}/settings/outbound`).flush([]));
    expect(run.mock.calls[0]![0]).toBe('Allow host or range');
  });

  it('removes an entry only after confirmation', async () => {
    const { http, render, button } = await setup([byAdmin]);
    const overlay = () => document.querySelector('.cdk-overlay-container') as HTMLElement;
    button('Stop allowing 10.20.0.0/16')!.click();
    await render();
    expect(overlay().textContent).toContain('Stop allowing 10.20.0.0/16?');
    button('Cancel', overlay())!.click();
    await vi.waitFor(() => expect(document.querySelector('mat-dialog-container')).toBeNull());
    http.expectNone({ method: 'DELETE' });

    button('Stop allowing 10.20.0.0/16')!.click();
    await render();
    button('Remove', overlay())!.click();
    const removed = await vi.waitFor(() =>
      http.expectOne({ method: 'DELETE', url: `${API}/settings/outbound/r1` }),
    );
    removed.flush(null, { status: 204, statusText: 'No Content' });
    await vi.waitFor(() => http.expectOne(`${API}/settings/outbound`).flush([]));
  });
});
