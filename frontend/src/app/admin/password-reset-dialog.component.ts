import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MIN_PASSWORD_LENGTH } from '../account/account.component';
import { User } from '../core/api/models';

/** Asks an admin for a user's new password; closes with it, or with nothing when cancelled. */
@Component({
  selector: 'bp-password-reset-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
  ],
  template: `
    <h2 mat-dialog-title>New password for {{ user.username }}</h2>
    <mat-dialog-content>
      <p>Their sessions end; tell them the new password another way.</p>
      <mat-form-field appearance="outline">
        <mat-label>New password (at least {{ minLength }} characters)</mat-label>
        <input matInput type="password" [formControl]="password" autocomplete="new-password" />
      </mat-form-field>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button
        mat-flat-button
        type="button"
        [disabled]="password.invalid"
        [mat-dialog-close]="password.value"
      >
        Set password
      </button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasswordResetDialogComponent {
  protected readonly user = inject<User>(MAT_DIALOG_DATA);
  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly password = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH)],
  });
}
