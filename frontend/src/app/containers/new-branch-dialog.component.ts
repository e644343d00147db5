import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Container } from '../core/api/models';
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
  /** When set, the user also picks which of these containers gets the branch. */
  containers?: Container[];
}

export interface NewBranchChoice {
  name: string;
  containerId?: string;
  /** When the branch expires: add to the create request. */
  expiry: ExpiryFields;
}

/** Name of a new branch and, from the catalog, the container it goes into. */
@Component({
  selector: 'bp-new-branch-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatButtonModule,
    ExpiresFieldComponent,
  ],
  template: `
    <h2 mat-dialog-title>New branch</h2>
    <form [formGroup]="form" (ngSubmit)="create()">
      <mat-dialog-content class="bp-form">
        <p class="bp-muted">Starts from {{ data.from }}. Your other branches are not touched.</p>
        @if (data.containers) {
          <mat-form-field appearance="outline">
            <mat-label>Container</mat-label>
            <mat-select formControlName="containerId" required>
              @for (c of data.containers; track c.id) {
                <mat-option [value]="c.id">{{ c.name }}</mat-option>
              }
            </mat-select>
          </mat-form-field>
        }
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
    containerId: new FormControl(this.data.containers?.[0]?.id ?? '', {
      nonNullable: true,
      validators: this.data.containers ? [Validators.required] : [],
    }),
    expiresIn: expiresControl(this.rule),
  });

  create(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, containerId, expiresIn } = this.form.getRawValue();
    const expiry = expiryRequest(expiresIn);
    this.ref.close(this.data.containers ? { name, containerId, expiry } : { name, expiry });
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
