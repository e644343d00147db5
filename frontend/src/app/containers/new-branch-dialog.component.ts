import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import {
  ExpiresFieldComponent,
  ExpiryFields,
  expiresControl,
  expiryRequest,
} from '../shared/expires-field.component';
import { ExpiryPolicy } from '../shared/expiry-policy.service';

export interface NewBranchDialogData {
  /** What the branch starts from, e.g. 'bookmark “BUG-4711 data”'. */
  from: string;
  suggestedName?: string;
}

export interface NewBranchChoice {
  name: string;
  /** When the branch expires: add to the create request. */
  expiry: ExpiryFields;
}

/** Name and expiry of a new branch. */
@Component({
  selector: 'bp-new-branch-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatButtonModule,
    ExpiresFieldComponent,
  ],
  template: `
    <h2 mat-dialog-title>New branch</h2>
    <form [formGroup]="form" (ngSubmit)="create()">
      <mat-dialog-content class="bp-form">
        <p class="bp-muted">Starts from {{ data.from }}. Your other branches are not touched.</p>
        <mat-form-field appearance="outline">
          <mat-label>Branch name</mat-label>
          <input matInput formControlName="name" required maxlength="63" />
          @if (form.controls.name.hasError('pattern')) {
            <mat-error>Use letters, digits, dots, dashes or underscores.</mat-error>
          }
        </mat-form-field>
        <bp-expires-field [control]="form.controls.expiresIn" [rule]="rule" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit">Create branch</button>
      </mat-dialog-actions>
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewBranchDialogComponent {
  protected readonly data = inject<NewBranchDialogData>(MAT_DIALOG_DATA);
  private readonly ref =
    inject<MatDialogRef<NewBranchDialogComponent, NewBranchChoice>>(MatDialogRef);
  protected readonly rule = inject(ExpiryPolicy).rule('branch');

  protected readonly form = new FormGroup({
    name: new FormControl(this.data.suggestedName ?? '', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)],
    }),
    expiresIn: expiresControl(this.rule),
  });

  create(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, expiresIn } = this.form.getRawValue();
    this.ref.close({ name, expiry: expiryRequest(expiresIn) });
  }
}

/** A branch name derived from a bookmark name: "BUG-4711 data" → "bug-4711-data". */
export function branchNameFrom(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'branch'
  );
}
