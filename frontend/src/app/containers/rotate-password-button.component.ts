import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { ContainersApi } from '../core/api/containers.api';
import { OperationsService } from '../core/jobs/operations.service';
import { ActionButtonComponent } from '../shared/action-button.component';
import { confirmAction } from '../shared/confirm-dialog.component';

/**
 * Gives the container's databases a new generated password (e.g. after it leaked), once the
 * owner confirmed: open sessions end and every client needs the new connection string.
 */
@Component({
  selector: 'bp-rotate-password-button',
  imports: [ActionButtonComponent],
  template: `
    <bp-action-button
      label="Rotate password"
      tooltip="A new password for the databases; open sessions end"
      [disabled]="disabled()"
      [busy]="busy()"
      (pressed)="rotate()"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RotatePasswordButtonComponent {
  private readonly api = inject(ContainersApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);

  readonly container = input.required<{ id: string; name: string }>();
  readonly disabled = input(false);
  /** The new password is in place: the page reloads to show the new connection strings. */
  readonly rotated = output<void>();
  protected readonly busy = signal(false);

  rotate(): void {
    const { id, name } = this.container();
    confirmAction(this.dialog, {
      title: `Rotate the password of ${name}?`,
      message:
        'Its databases get a new generated password. Existing sessions end, and every client needs the new password: copy the new connection string from this page once it is done.',
      confirm: 'Rotate',
    }).subscribe((yes) => {
      if (yes) void this.run(id, name);
    });
  }

  private async run(id: string, name: string): Promise<void> {
    this.busy.set(true);
    const outcome = await this.ops.run(
      'Rotate password',
      this.api.rotateCredentials(id),
      `${name} has a new password: the connection strings show it`,
    );
    this.busy.set(false);
    if (outcome.ok) this.rotated.emit();
  }
}
