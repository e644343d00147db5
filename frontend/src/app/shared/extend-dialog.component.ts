import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { ExpiresFieldComponent, expiresControl } from './expires-field.component';

export interface ExtendDialogData {
  /** What is extended, e.g. 'container “qa-box”'. */
  what: string;
  /** The policy's maximum for it, or null. */
  max: string | null;
}

/** A custom extension: a duration from now. Answers the duration text ("3d"). */
@Component({
  selector: 'bp-extend-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, ExpiresFieldComponent],
  template: `
    <h2 mat-dialog-title>Extend</h2>
    <form [formGroup]="form" (ngSubmit)="extend()">
      <mat-dialog-content class="bp-form">
        <p class="bp-muted">Sets when {{ data.what }} expires, counted from now.</p>
        <bp-expires-field [control]="duration" [rule]="rule" [optional]="false" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit">Extend</button>
      </mat-dialog-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExtendDialogComponent {
  protected readonly data = inject<ExtendDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<ExtendDialogComponent, string>>(MatDialogRef);
  protected readonly rule = { default: null, max: this.data.max };
  protected readonly duration = expiresControl(this.rule, true);
  protected readonly form = new FormGroup({ duration: this.duration });

  extend(): void {
    if (this.duration.invalid) return this.duration.markAsTouched();
    this.ref.close(this.duration.value.trim());
  }
}
