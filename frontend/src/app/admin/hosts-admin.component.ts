import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { interval, of, tap } from 'rxjs';
import { AdminApi } from '../core/api/admin.api';
import { CreateHost, DrainResult, Host } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { statusClass } from '../containers/container-status';
import { ActionButtonComponent } from '../shared/action-button.component';
import { BytesPipe } from '../shared/bytes.pipe';
import { EmptyStateComponent } from '../shared/empty-state.component';
import { confirmed } from '../shared/confirm-dialog.component';
import { httpsUrl } from '../shared/http-url';
import { certificateFingerprint, givenFingerprint } from './certificate-fingerprint';
import { HostEditDialogComponent } from './host-edit-dialog.component';

/** How often the list asks again: about as often as the control plane checks a host. */
export const HOSTS_REFRESH_MS = 10_000;

@Component({
  selector: 'bp-hosts-admin',
  imports: [
    ActionButtonComponent,
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    BytesPipe,
    EmptyStateComponent,
  ],
  templateUrl: './hosts-admin.component.html',
  styleUrls: ['./admin.scss', './hosts-admin.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HostsAdminComponent {
  private readonly api = inject(AdminApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);
  protected readonly hosts = signal<Host[]>([]);
  /**
   * Per host, the containers its last drain left there with why: shown under it while it drains,
   * as the panel's message goes away after a few seconds.
   */
  protected readonly staying = signal<Record<string, DrainResult['skipped']>>({});
  protected readonly statusClass = statusClass;
  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    url: new FormControl('', { nonNullable: true, validators: [Validators.required, httpsUrl] }),
    token: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    fingerprint: new FormControl('', { nonNullable: true, validators: [certificateFingerprint] }),
  });

  constructor() {
    this.load();
    // The control plane checks hosts on its own; the list follows without a reload.
    interval(HOSTS_REFRESH_MS)
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.load());
  }

  protected usedPercent(h: Host): number {
    const cap = h.capacity;
    return cap && cap.sizeBytes > 0 ? (100 * cap.usedBytes) / cap.sizeBytes : 0;
  }

  private load(): void {
    this.api
      .hosts()
      .subscribe({ next: (list) => this.hosts.set(list), error: () => this.hosts.set([]) });
  }

  /** The dialog saves the change itself; the list then shows the host as checked again. */
  protected edit(host: Host): void {
    this.dialog
      .open<HostEditDialogComponent, Host, Host>(HostEditDialogComponent, { data: host })
      .afterClosed()
      .subscribe((updated) => {
        if (updated) this.load();
      });
  }

  /** Every container moves off the host (each a job in the panel); those that stay say why. */
  async drain(host: Host): Promise<void> {
    const yes = await confirmed(this.dialog, {
      title: `Drain ${host.name}?`,
      message:
        'No new container is placed there, and every container on it moves to another host its template is on: each stops for a few seconds at the end of its move, and its connection string changes. End the drain to place containers there again.',
      confirm: 'Drain',
    });
    if (!yes) return;
    let result: DrainResult | undefined;
    const outcome = await this.ops.run(
      'Drain',
      this.api.drainHost(host.id).pipe(tap((answer) => (result = answer))),
      () => drainSummary(host.name, result),
    );
    this.staying.update((all) => ({ ...all, [host.id]: result?.skipped ?? [] }));
    this.load();
    if (outcome.ok)
      for (const move of result?.moves ?? [])
        void this.ops.run(
          `Move ${move.name}`,
          of({ jobId: move.jobId }),
          `${move.name} moved off ${host.name}: its connection string changed`,
        );
  }

  async endDrain(host: Host): Promise<void> {
    await this.ops.run(
      'End drain',
      this.api.endDrain(host.id),
      `Host ${host.name} takes new containers again`,
    );
    this.staying.update(({ [host.id]: _ended, ...others }) => others);
    this.load();
  }

  async create(): Promise<void> {
    const { fingerprint, ...host } = this.form.getRawValue();
    const body: CreateHost = { ...host, ...givenFingerprint(fingerprint) };
    const outcome = await this.ops.run(
      'Register host',
      this.api.createHost(body),
      `Host ${body.name} registered`,
    );
    if (outcome.ok) this.form.reset();
    this.load();
  }
}

/** What a drain started, and which containers stay with why. */
export function drainSummary(hostName: string, result: DrainResult | undefined): string {
  const moves = result?.moves.length ?? 0;
  const stays = (result?.skipped ?? []).map((s) => `${s.name} (${s.reason})`).join('; ');
  return `${hostName} is draining: ${moves} ${moves === 1 ? 'move' : 'moves'} started${stays ? `; staying: ${stays}` : ''}`;
}
