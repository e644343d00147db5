import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Orphan, ReconciliationReport } from '../core/api/models';
import { ReconciliationAdminComponent } from './reconciliation-admin.component';

const report: ReconciliationReport = {
  hostId: 'h1',
  host: 'zfs-1',
  checkedAt: '2026-01-01T00:00:00Z',
  error: null,
  skipped: [],
  orphans: [],
  divergences: [
    {
      kind: 'active-branch',
      subject: { containerId: 'c1', containerName: 'qa' },
      catalog: 'default (b1)',
      host: 'feature (b2)',
      action: 'repaired',
    },
  ],
};

const orphan = (key: string, extra: Partial<Orphan> = {}): Orphan => ({
  hostId: 'h1',
  host: 'zfs-1',
  key,
  kind: 'container',
  id: key.split(':')[1]!,
  dataset: `tank/bp/containers/${key.split(':')[1]}`,
  bytes: 4096,
  createdAt: '2026-01-01T00:00:00Z',
  dependents: [],
  pending: false,
  ...extra,
});

describe('ReconciliationAdminComponent', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('lists divergences, and destroys an orphan only after the admin confirms', async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(ReconciliationAdminComponent);
    const host = fixture.nativeElement as HTMLElement;
    const render = async () => {
      fixture.detectChanges();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    http.expectOne('/api/v1/reconciliation').flush([report]);
    http
      .expectOne('/api/v1/reconciliation/orphans')
      .flush([orphan('container:c9'), orphan('container:c8', { dependents: ['hold on x@p'] })]);
    await render();
    const rows = host.querySelector('[aria-label="zfs-1 divergences"] tbody')?.textContent ?? '';
    expect(rows).toContain('active-branch');
    expect(rows).toContain('qa');
    expect(rows).toContain('repaired');
    const depended = host.querySelector('[aria-label="Destroy container:c8"]') as HTMLButtonElement;
    expect(depended.disabled).toBe(true);

    // Cancel: nothing is sent.
    (host.querySelector('[aria-label="Destroy container:c9"]') as HTMLButtonElement).click();
    await render();
    let dialog = document.querySelector('mat-dialog-container') as HTMLElement;
    expect(dialog.textContent).toContain('tank/bp/containers/c9');
    (dialog.querySelector('button:not(.danger)') as HTMLButtonElement).click();
    await render();
    http.expectNone('/api/v1/reconciliation/orphans/destroy');

    (host.querySelector('[aria-label="Destroy container:c9"]') as HTMLButtonElement).click();
    await render();
    dialog = document.querySelector('mat-dialog-container') as HTMLElement;
    (dialog.querySelector('button.danger') as HTMLButtonElement).click();
    await vi.waitFor(() => {
      const destroy = http.expectOne({
        method: 'POST',
        url: '/api/v1/reconciliation/orphans/destroy',
      });
      expect(destroy.request.body).toEqual({ hostId: 'h1', keys: ['container:c9'] });
      destroy.flush({ hostId: 'h1', destroyed: ['container:c9'] });
    });
    await vi.waitFor(() => http.expectOne('/api/v1/reconciliation/orphans').flush([]));
    await render();
    expect(host.textContent).toContain('No orphans');
  });
});
