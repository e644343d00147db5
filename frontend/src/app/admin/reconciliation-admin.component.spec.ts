import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Subject } from 'rxjs';
import { Job, Orphan, ReconciliationReport } from '../core/api/models';
import { JobTracker } from '../core/jobs/job-tracker.service';
import { aJob } from '../testing/fixtures';
import { ReconciliationAdminComponent } from './reconciliation-admin.component';

const report: ReconciliationReport = {
  installationId: 'inst-1',
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

const orphan = (key: string, extra: Partial<Orphan> = {}): Orphan => {
  const id = key.split(':')[1]!;
  return {
    hostId: 'h1',
    host: 'zfs-1',
    key,
    kind: 'container',
    id,
    dataset: `tank/bp/containers/${id}`,
    datasets: [`tank/bp/containers/${id}`, `tank/bp/containers/${id}/b1`],
    snapshots: 3,
    bytes: 4096,
    createdAt: '2026-01-01T00:00:00Z',
    installation: 'inst-1',
    dependents: [],
    pending: false,
    verdict: 'destroyable',
    reason: 'the catalog once knew it',
    fingerprint: `${id.padEnd(16, '0')}`,
    ...extra,
  };
};

describe('ReconciliationAdminComponent', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('lists divergences, and destroys exactly the selected orphans only after the admin saw what goes and confirmed', async () => {
    const updates = new Subject<Job>();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: JobTracker, useValue: { track: () => updates } },
      ],
    });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(ReconciliationAdminComponent);
    const host = fixture.nativeElement as HTMLElement;
    const render = async () => {
      fixture.detectChanges();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    const checkbox = (key: string) =>
      host.querySelector(`input[aria-label="Select ${key}"]`) as HTMLInputElement | null;
    const destroyButton = () =>
      [...host.querySelectorAll('button')].find((b) =>
        b.textContent?.includes('Destroy selected'),
      ) as HTMLButtonElement;
    http.expectOne('/api/v1/reconciliation').flush([report]);
    http.expectOne('/api/v1/reconciliation/orphans').flush([
      orphan('container:c9'),
      orphan('container:c8', { verdict: 'has-dependents', reason: 'depended on: hold on x@p' }),
      orphan('container:c7', {
        verdict: 'foreign',
        installation: 'inst-other',
        reason: 'it belongs to installation inst-other, another control plane: never touched',
      }),
      orphan('container:c6', {
        verdict: 'unknown-to-catalog',
        reason: 'newer than the metadata (restored from an older backup?)',
      }),
    ]);
    await render();
    const rows = host.querySelector('[aria-label="zfs-1 divergences"] tbody')?.textContent ?? '';
    expect(rows).toContain('active-branch');
    expect(rows).toContain('qa');
    expect(rows).toContain('repaired');
    const orphans = host.querySelector('[aria-label="Orphans on the hosts"]')?.textContent ?? '';
    expect(orphans).toContain('Another installation');
    expect(orphans).toContain('installation inst-other');
    expect(orphans).toContain('Unknown to the catalog');
    expect(orphans).toContain('newer than the metadata');
    // Only destroyable ones can be chosen; nothing chosen, nothing to destroy.
    expect(checkbox('container:c8')).toBeNull();
    expect(checkbox('container:c7')).toBeNull();
    expect(checkbox('container:c6')).toBeNull();
    expect(destroyButton().disabled).toBe(true);

    checkbox('container:c9')!.click();
    await render();
    expect(destroyButton().disabled).toBe(false);

    // The dialog names every dataset that goes; cancel sends nothing.
    destroyButton().click();
    await render();
    let dialog = document.querySelector('mat-dialog-container') as HTMLElement;
    expect(dialog.textContent).toContain('Destroy 1 orphan for good?');
    expect(dialog.textContent).toContain('tank/bp/containers/c9/b1');
    expect(dialog.textContent).toContain('3 snapshots');
    expect(dialog.textContent).not.toContain('c7');
    (dialog.querySelector('button:not(.danger)') as HTMLButtonElement).click();
    await render();
    http.expectNone('/api/v1/reconciliation/orphans/destroy');

    destroyButton().click();
    await render();
    dialog = document.querySelector('mat-dialog-container') as HTMLElement;
    const confirm = dialog.querySelector('button.danger') as HTMLButtonElement;
    expect(confirm.textContent?.trim()).toBe('Destroy 2 datasets');
    confirm.click();
    const destroy = await vi.waitFor(() =>
      http.expectOne({ method: 'POST', url: '/api/v1/reconciliation/orphans/destroy' }),
    );
    expect(destroy.request.body).toEqual({
      hostId: 'h1',
      orphans: [{ key: 'container:c9', fingerprint: 'c900000000000000' }],
    });
    destroy.flush({ jobId: 'j1' });
    await Promise.resolve();
    updates.next(
      aJob({
        id: 'j1',
        type: 'destroy-orphans',
        containerId: null,
        state: 'succeeded',
        progress: 100,
      }),
    );
    updates.complete();
    await vi.waitFor(() => http.expectOne('/api/v1/reconciliation/orphans').flush([]));
    await render();
    expect(host.textContent).toContain('No orphans');
  });
});
