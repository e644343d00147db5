import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { AdminApi } from '../core/api/admin.api';
import { CreateHost, Host } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { statusClass } from '../containers/container-status';
import { BytesPipe } from '../shared/bytes.pipe';
import { EmptyStateComponent } from '../shared/empty-state.component';
import { httpsUrl } from '../shared/http-url';
import { IconComponent } from '../shared/icon.component';
import { certificateFingerprint, givenFingerprint } from './certificate-fingerprint';
import { HostEditDialogComponent } from './host-edit-dialog.component';

@Component({
  selector: 'bp-hosts-admin',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    BytesPipe,
    EmptyStateComponent,
    IconComponent,
  ],
  template: `
    <section aria-label="Hosts">
      @if (hosts().length) {
        <div class="bp-card flush">
          <table class="bp-table">
            <thead>
              <tr>
                <th>Host</th>
                <th>Status</th>
                <th>Pool capacity</th>
                <th>Checked</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              @for (h of hosts(); track h.id) {
                <tr>
                  <td>
                    <strong>{{ h.name }}</strong>
                    <div class="bp-muted mono">{{ h.url }}</div>
                    <div
                      class="bp-muted mono fingerprint"
                      [attr.aria-label]="h.name + ' certificate fingerprint'"
                    >
                      sha256 {{ h.certificateFingerprint ?? 'not pinned' }}
                    </div>
                  </td>
                  <td>
                    <span [class]="'bp-status ' + statusClass(h.status)">{{ h.status }}</span>
                    @if (h.lastError) {
                      <div class="bp-muted err">{{ h.lastError }}</div>
                    }
                  </td>
                  <td class="cap">
                    @if (h.capacity; as cap) {
                      <mat-progress-bar
                        mode="determinate"
                        [value]="usedPercent(h)"
                        [attr.aria-label]="h.name + ' pool used'"
                      />
                      <div class="bp-muted">
                        {{ cap.usedBytes | bytes }} used of {{ cap.sizeBytes | bytes }} ·
                        {{ cap.freeBytes | bytes }} free · {{ cap.runningInstances }}
                        {{ cap.runningInstances === 1 ? 'database' : 'databases' }} running
                      </div>
                    } @else {
                      <span class="bp-muted">unknown</span>
                    }
                  </td>
                  <td>{{ h.checkedAt ? (h.checkedAt | date: 'medium') : '—' }}</td>
                  <td class="actions">
                    <button
                      mat-button
                      type="button"
                      (click)="edit(h)"
                      [attr.aria-label]="'Edit ' + h.name"
                    >
                      <bp-icon name="edit" /> Edit
                    </button>
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      } @else {
        <bp-empty-state title="No hosts registered">
          <span>Install the storage agent on a ZFS host, then register it with the form.</span>
        </bp-empty-state>
      }
    </section>
    <form class="bp-card" [formGroup]="form" (ngSubmit)="create()">
      <h2>Register a host</h2>
      <mat-form-field appearance="outline"
        ><mat-label>Name</mat-label><input matInput formControlName="name"
      /></mat-form-field>
      <mat-form-field appearance="outline"
        ><mat-label>Agent URL</mat-label
        ><input matInput formControlName="url" placeholder="https://zfs-1:7070" />
        @if (form.controls.url.hasError('pattern')) {
          <mat-error>An https:// URL.</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline"
        ><mat-label>Agent token</mat-label><input matInput type="password" formControlName="token"
      /></mat-form-field>
      <mat-form-field appearance="outline" class="wide">
        <mat-label>Certificate fingerprint (optional)</mat-label>
        <input matInput formControlName="fingerprint" class="mono" placeholder="AB:CD:…" />
        @if (form.controls.fingerprint.hasError('pattern')) {
          <mat-error>A SHA-256 fingerprint: 32 hex pairs joined by ":".</mat-error>
        } @else {
          <mat-hint
            >From the agent's start-up line; left empty, the certificate it presents now is
            pinned.</mat-hint
          >
        }
      </mat-form-field>
      <button mat-flat-button type="submit" [disabled]="form.invalid">Register host</button>
    </form>
  `,
  styleUrl: './admin.scss',
  styles: `
    .err {
      font-size: 12px;
      max-width: 260px;
    }
    .fingerprint {
      font-size: 11px;
      max-width: 300px;
      word-break: break-all;
    }
    .wide {
      min-width: 420px;
    }
    .actions {
      white-space: nowrap;
      text-align: right;
    }
    .cap {
      min-width: 220px;
      div {
        font-size: 12px;
        margin-top: 4px;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HostsAdminComponent {
  private readonly api = inject(AdminApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);
  protected readonly hosts = signal<Host[]>([]);
  protected readonly statusClass = statusClass;
  protected readonly form = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    url: new FormControl('', { nonNullable: true, validators: [Validators.required, httpsUrl] }),
    token: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    fingerprint: new FormControl('', { nonNullable: true, validators: [certificateFingerprint] }),
  });

  constructor() {
    this.load();
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
