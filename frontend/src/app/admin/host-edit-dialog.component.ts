import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { AdminApi } from '../core/api/admin.api';
import { errorMessage } from '../core/api/error-message';
import { Host, UpdateHost } from '../core/api/models';
import { httpsUrl } from '../shared/http-url';
import { certificateFingerprint, givenFingerprint } from './certificate-fingerprint';

/**
 * A host's agent URL, token and pinned certificate: moving the agent, rotating its token or
 * re-pinning after the agent's certificate was replaced. The stored token is never shown; an
 * empty Token field keeps it, an empty Fingerprint field keeps the pin. Saves itself, so a
 * refusal is shown here, and closes with the host as the control plane checked it after the change.
 */
@Component({
  selector: 'bp-host-edit-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  templateUrl: './host-edit-dialog.component.html',
  styleUrl: './host-edit-dialog.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HostEditDialogComponent {
  protected readonly host = inject<Host>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<HostEditDialogComponent, Host>>(MatDialogRef);
  private readonly api = inject(AdminApi);

  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = new FormGroup({
    // Admins get the address (HostDto leaves it out for others only).
    url: new FormControl(this.host.url ?? '', {
      nonNullable: true,
      validators: [Validators.required, httpsUrl],
    }),
    token: new FormControl('', { nonNullable: true }),
    fingerprint: new FormControl('', { nonNullable: true, validators: [certificateFingerprint] }),
  });

  save(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { url, token, fingerprint } = this.form.getRawValue();
    // An empty token or fingerprint means "unchanged": leaving it out keeps the stored one.
    const body: UpdateHost = { url, ...(token ? { token } : {}), ...givenFingerprint(fingerprint) };
    this.saving.set(true);
    this.error.set(null);
    this.api.updateHost(this.host.id, body).subscribe({
      next: (host) => this.ref.close(host),
      error: (e: unknown) => {
        this.saving.set(false);
        this.error.set(`Could not save ${this.host.name}: ${errorMessage(e)}`);
      },
    });
  }
}
