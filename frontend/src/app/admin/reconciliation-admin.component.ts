import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { errorMessage } from '../core/api/error-message';
import { Divergence, Orphan, ReconciliationReport } from '../core/api/models';
import { ReconciliationApi } from '../core/api/reconciliation.api';
import { OperationsService } from '../core/jobs/operations.service';
import { BytesPipe } from '../shared/bytes.pipe';
import { confirmAction } from '../shared/confirm-dialog.component';
import { EmptyStateComponent } from '../shared/empty-state.component';

/** What the catalog and the hosts disagree on, and the orphans an admin may destroy. */
@Component({
  selector: 'bp-reconciliation-admin',
  imports: [DatePipe, MatButtonModule, BytesPipe, EmptyStateComponent],
  template: `
    <section class="bp-card" aria-label="Divergences">
      <div class="head">
        <h2>Divergences</h2>
        <button mat-flat-button type="button" (click)="runNow()" [disabled]="running()">
          Reconcile now
        </button>
      </div>
      <p class="bp-muted intro">
        What the hosts' ZFS properties prove (active branch, serving, ports, bookmark holds) is
        repaired; the rest is listed for you to decide. Containers with a job in flight are skipped.
      </p>
      @if (loadError(); as message) {
        <p class="error" role="alert">{{ message }}</p>
      }
      @for (r of reports(); track r.hostId) {
        <h3>
          {{ r.host }} <span class="bp-muted">checked {{ r.checkedAt | date: 'medium' }}</span>
        </h3>
        @if (r.error) {
          <p class="error">Could not check: {{ r.error }}</p>
        }
        @if (r.skipped.length) {
          <p class="bp-muted">Skipped (busy): {{ skippedLabel(r) }}</p>
        }
        @if (r.divergences.length) {
          <table class="bp-table" [attr.aria-label]="r.host + ' divergences'">
            <thead>
              <tr>
                <th>Kind</th>
                <th>Subject</th>
                <th>Catalog</th>
                <th>Host</th>
                <th>Action</th>
              </tr>
            </thead>
            <tbody>
              @for (d of r.divergences; track $index) {
                <tr>
                  <td class="mono">{{ d.kind }}</td>
                  <td>{{ subjectLabel(d) }}</td>
                  <td>{{ d.catalog ?? '—' }}</td>
                  <td>{{ d.host ?? '—' }}</td>
                  <td>
                    {{ d.action }}
                    @if (d.error) {
                      <div class="bp-muted">{{ d.error }}</div>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        } @else if (!r.error) {
          <p class="bp-muted">The catalog and the host agree.</p>
        }
      } @empty {
        <p class="bp-muted">No report yet: reconcile now.</p>
      }
    </section>

    <section class="bp-card" aria-label="Orphans">
      <h2>Orphans</h2>
      <p class="bp-muted intro">
        Datasets of containers or templates the catalog does not know. Nothing destroys them but
        you; a destroy is refused while something depends on them.
      </p>
      @if (orphans().length) {
        <table class="bp-table">
          <thead>
            <tr>
              <th>Host</th>
              <th>Dataset</th>
              <th>Size</th>
              <th>Depends on it</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            @for (o of orphans(); track o.hostId + o.key) {
              <tr>
                <td>{{ o.host }}</td>
                <td class="mono">{{ o.dataset }}</td>
                <td>{{ o.bytes | bytes }}</td>
                <td>
                  @if (o.pending) {
                    <span class="bp-muted">created less than a minute ago</span>
                  }
                  @for (dependent of o.dependents; track dependent) {
                    <div class="mono">{{ dependent }}</div>
                  }
                </td>
                <td class="actions">
                  <button
                    mat-button
                    type="button"
                    class="danger"
                    [disabled]="o.pending || o.dependents.length > 0"
                    (click)="destroy(o)"
                    [attr.aria-label]="'Destroy ' + o.key"
                  >
                    Destroy
                  </button>
                </td>
              </tr>
            }
          </tbody>
        </table>
      } @else {
        <bp-empty-state title="No orphans">
          <span>Every dataset on the hosts belongs to a container or template.</span>
        </bp-empty-state>
      }
    </section>
  `,
  styles: `
    :host {
      display: grid;
      gap: 16px;
      padding-top: 16px;
    }
    .head {
      display: flex;
      justify-content: space-between;
      align-items: center;
    }
    .intro {
      margin: 0 0 12px;
      line-height: 1.5;
    }
    h3 {
      margin: 16px 0 8px;
      font-size: 14px;
    }
    .error {
      color: var(--mat-sys-error);
    }
    .mono {
      font-size: 12px;
      word-break: break-all;
    }
    .actions {
      text-align: right;
    }
    .danger {
      color: var(--mat-sys-error);
    }
  `,
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
