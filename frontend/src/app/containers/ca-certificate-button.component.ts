import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { ContainersApi } from '../core/api/containers.api';
import { errorMessage } from '../core/api/error-message';
import { ActionButtonComponent } from '../shared/action-button.component';

/** The file name the CA is saved as, and that the hint tells clients to point at. */
export const CA_FILE_NAME = 'branchpoint-ca.pem';

/**
 * Saves the CA that the container's servers' certificates chain to, so clients can verify them
 * (`sslmode=verify-full`) instead of only encrypting (`sslmode=require`).
 */
@Component({
  selector: 'bp-ca-certificate-button',
  imports: [ActionButtonComponent],
  template: `
    <bp-action-button label="Download CA certificate" [busy]="busy()" (pressed)="download()" />
    <span class="hint bp-muted"
      >Then verify the server: <code>sslmode=verify-full sslrootcert={{ fileName }}</code></span
    >
    @if (error(); as message) {
      <span role="alert" class="error">{{ message }}</span>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      margin-top: 8px;
    }
    .hint {
      font-size: 12.5px;
    }
    .error {
      color: var(--mat-sys-error);
      font-size: 12.5px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CaCertificateButtonComponent {
  private readonly api = inject(ContainersApi);
  readonly containerId = input.required<string>();
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly fileName = CA_FILE_NAME;

  async download(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const pem = await firstValueFrom(this.api.caCertificate(this.containerId()));
      const url = URL.createObjectURL(new Blob([pem], { type: 'application/x-pem-file' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = CA_FILE_NAME;
      link.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      this.error.set(`Could not download the CA certificate: ${errorMessage(e)}`);
    } finally {
      this.busy.set(false);
    }
  }
}
