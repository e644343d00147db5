import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../core/api/error-message';
import { Divergence, Orphan, ReconciliationReport } from '../core/api/models';
import { ReconciliationApi } from '../core/api/reconciliation.api';
import { OperationsService } from '../core/jobs/operations.service';
import { ActionButtonComponent } from '../shared/action-button.component';
import { BytesPipe } from '../shared/bytes.pipe';
import { EmptyStateComponent } from '../shared/empty-state.component';
import { confirmOrphanDestroy } from './orphan-destroy-dialog.component';

/** Verdicts in words; only `destroyable` orphans can be selected. */
const VERDICT_LABELS: Record<Orphan['verdict'], string> = {
  destroyable: 'Destroyable',
  pending: 'Too young',
  'has-dependents': 'Depended on',
  'unknown-to-catalog': 'Unknown to the catalog',
  foreign: 'Another installation',
  'known-elsewhere': 'On another host',
};

/**
 * What the catalog and the hosts disagree on, and the orphans: reconciliation never destroys
 * them; the admin selects destroyable ones, sees exactly what goes and confirms.
 */
@Component({
  selector: 'bp-reconciliation-admin',
  imports: [ActionButtonComponent, DatePipe, BytesPipe, EmptyStateComponent, MatCheckboxModule],
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
  /** Selected orphans by `hostId key`. */
  protected readonly selected = signal<ReadonlySet<string>>(new Set());
  protected readonly selection = computed(() =>
    this.orphans().filter((o) => this.selected().has(selectionKey(o))),
  );
  protected readonly verdictLabels = VERDICT_LABELS;
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

  protected isSelected(orphan: Orphan): boolean {
    return this.selected().has(selectionKey(orphan));
  }

  protected toggle(orphan: Orphan, on: boolean): void {
    const next = new Set(this.selected());
    if (on) next.add(selectionKey(orphan));
    else next.delete(selectionKey(orphan));
    this.selected.set(next);
  }

  /**
   * Shows exactly what the selected orphans are (datasets, snapshots, space) and, once the admin
   * confirms, starts one destroy job per host with the fingerprints this list was read with.
   */
  async destroySelected(): Promise<void> {
    const chosen = this.selection();
    if (chosen.length === 0 || !(await confirmOrphanDestroy(this.dialog, chosen))) return;
    const byHost = new Map<string, Orphan[]>();
    for (const o of chosen) byHost.set(o.hostId, [...(byHost.get(o.hostId) ?? []), o]);
    for (const [hostId, orphans] of byHost) {
      const keys = orphans.map((o) => o.key).join(', ');
      await this.ops.run(
        `Destroy ${keys} on ${orphans[0]!.host}`,
        this.api.destroy(hostId, orphans),
        `${keys} destroyed`,
      );
    }
    this.selected.set(new Set());
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

function selectionKey(orphan: Orphan): string {
  return `${orphan.hostId} ${orphan.key}`;
}
