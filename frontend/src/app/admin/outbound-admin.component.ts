import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  FormControl,
  FormGroup,
  FormGroupDirective,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { errorMessage } from '../core/api/error-message';
import { OutboundApi, OutboundRule } from '../core/api/outbound.api';
import { OperationsService } from '../core/jobs/operations.service';
import { ActionButtonComponent } from '../shared/action-button.component';
import { confirmAction } from '../shared/confirm-dialog.component';
import { EmptyStateComponent } from '../shared/empty-state.component';

/**
 * The outbound fence's allow list: webhooks may reach loopback, private, link-local or metadata
 * addresses only when a host or range here covers them. Entries of BP_OUTBOUND_ALLOW are shown
 * but only the deployment changes them.
 */
@Component({
  selector: 'bp-outbound-admin',
  imports: [
    ActionButtonComponent,
    DatePipe,
    EmptyStateComponent,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
  ],
  templateUrl: './outbound-admin.component.html',
  styleUrls: ['./admin.scss', './outbound-admin.component.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OutboundAdminComponent {
  private readonly api = inject(OutboundApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);

  protected readonly rules = signal<OutboundRule[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly form = new FormGroup({
    entry: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.maxLength(260)],
    }),
    note: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(200)] }),
  });

  constructor() {
    this.load();
  }

  private load(): void {
    this.api.list().subscribe({
      next: (rules) => {
        this.loadError.set(null);
        this.rules.set(rules);
      },
      error: (e: unknown) => {
        this.loadError.set(`Could not load the allow list: ${errorMessage(e)}`);
        this.rules.set([]);
      },
    });
  }

  async add(formDirective: FormGroupDirective): Promise<void> {
    if (this.form.invalid) return this.form.markAllAsTouched();
    const { entry, note } = this.form.getRawValue();
    const body = { entry: entry.trim(), ...(note.trim() ? { note: note.trim() } : {}) };
    const outcome = await this.ops.run(
      'Allow host or range',
      this.api.add(body),
      `Webhooks may reach ${body.entry}`,
    );
    if (outcome.ok) formDirective.resetForm();
    this.load();
  }

  remove(rule: OutboundRule): void {
    const id = rule.id;
    if (!id) return;
    confirmAction(this.dialog, {
      title: `Stop allowing ${rule.entry}?`,
      message:
        'Webhooks pointing there are refused from their next delivery on; new ones cannot be added.',
      confirm: 'Remove',
    }).subscribe(async (yes) => {
      if (!yes) return;
      await this.ops.run(
        'Remove allowed host or range',
        this.api.remove(id),
        `${rule.entry} removed`,
      );
      this.load();
    });
  }
}
