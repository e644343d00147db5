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
  template: `
    <h2 mat-dialog-title>Edit host {{ host.name }}</h2>
    <form [formGroup]="form" (ngSubmit)="save()">
      <mat-dialog-content class="bp-form">
        <mat-form-field appearance="outline">
          <mat-label>URL</mat-label>
          <input
            matInput
            formControlName="url"
            required
            placeholder="https://zfs-1:7070"
            autocomplete="off"
          />
          @if (form.controls.url.hasError('required')) {
            <mat-error>Give the storage agent's URL.</mat-error>
          } @else if (form.controls.url.hasError('pattern')) {
            <mat-error>An https:// URL, e.g. https://zfs-1:7070.</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Token</mat-label>
          <input
            matInput
            type="password"
            formControlName="token"
            maxlength="1024"
            autocomplete="new-password"
          />
          <mat-hint>Leave empty to keep the current token; it is never shown.</mat-hint>
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Certificate fingerprint</mat-label>
          <input
            matInput
            formControlName="fingerprint"
            class="mono"
            placeholder="AB:CD:…"
            autocomplete="off"
          />
          @if (form.controls.fingerprint.hasError('pattern')) {
            <mat-error>A SHA-256 fingerprint: 32 hex pairs joined by ":".</mat-error>
          } @else {
            <mat-hint
              >Leave empty to keep the pinned certificate
              {{ host.certificateFingerprint ?? '(none yet)' }}.</mat-hint
            >
          }
        </mat-form-field>
        @if (error(); as message) {
          <p class="error" role="alert">{{ message }}</p>
        }
        @if (saving()) {
          <mat-progress-bar mode="indeterminate" [attr.aria-label]="'Saving ' + host.name" />
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">Save</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    mat-form-field {
      min-width: 420px;
    }
    .error {
      color: var(--mat-sys-error);
      margin: 8px 0 0;
      max-width: 420px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HostEditDialogComponent {
  protected readonly host = inject<Host>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<HostEditDialogComponent, Host>>(MatDialogRef);
  private readonly api = inject(AdminApi);

  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = new FormGroup({
    url: new FormControl(this.host.url, {
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
