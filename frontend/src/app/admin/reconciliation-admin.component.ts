import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../core/api/error-message';
import { Divergence, Orphan, ReconciliationReport } from '../core/api/models';
import { ReconciliationApi } from '../core/api/reconciliation.api';
import { OperationsService } from '../core/jobs/operations.service';
import { ActionButtonComponent } from '../shared/action-button.component';
import { BytesPipe } from '../shared/bytes.pipe';
import { confirmAction } from '../shared/confirm-dialog.component';
import { EmptyStateComponent } from '../shared/empty-state.component';

/** What the catalog and the hosts disagree on, and the orphans an admin may destroy. */
@Component({
  selector: 'bp-reconciliation-admin',
  imports: [ActionButtonComponent, DatePipe, BytesPipe, EmptyStateComponent],
  templateUrl: './reconciliation-admin.component.html',
  styleUrl: './reconciliation-admin.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReconciliationAdminComponent {
  private readonly api = inject(ReconciliationApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);
  protected readonly reports = signal<ReconciliationReport[]>([]);
  protected readonly orphans = signal<Orphan[]>([]);
  protected readonly running = signal(false);
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    this.api.reports().subscribe({
      next: (reports) => this.reports.set(reports),
      error: (e: unknown) => this.loadError.set(`Could not load the reports: ${errorMessage(e)}`),
    });
    this.loadOrphans();
  }

  async runNow(): Promise<void> {
    this.running.set(true);
    try {
      this.reports.set(await firstValueFrom(this.api.run()));
      this.loadError.set(null);
    } catch (e) {
      this.loadError.set(`Reconciliation failed: ${errorMessage(e)}`);
    } finally {
      this.running.set(false);
    }
    this.loadOrphans();
  }

  async destroy(orphan: Orphan): Promise<void> {
    const confirmed = await firstValueFrom(
      confirmAction(this.dialog, {
        title: `Destroy ${orphan.kind} ${orphan.id}?`,
        message: `${orphan.dataset} and everything below it on ${orphan.host} are destroyed for good.`,
        confirm: 'Destroy',
      }),
    );
    if (!confirmed) return;
    await this.ops.run(
      `Destroy ${orphan.key}`,
      this.api.destroy(orphan.hostId, [orphan.key]),
      `${orphan.dataset} destroyed`,
    );
    this.loadOrphans();
  }

  protected skippedLabel(report: ReconciliationReport): string {
    return report.skipped.map((s) => `${s.kind} ${s.name}`).join(', ');
  }

  protected subjectLabel(d: Divergence): string {
    const s = d.subject;
    const parts = [
      s.templateName ?? s.templateId,
      s.containerName ?? s.containerId,
      s.branchName ?? s.branchId,
      s.bookmarkName ? `bookmark ${s.bookmarkName}` : s.pointId && `point ${s.pointId}`,
      s.sourceId && `source ${s.sourceId}`,
    ].filter(Boolean);
    return parts.length ? parts.join(' / ') : (s.dataset ?? '—');
  }

  private loadOrphans(): void {
    this.api.orphans().subscribe({
      next: (list) => this.orphans.set(list),
      error: () => this.orphans.set([]),
    });
  }
}
