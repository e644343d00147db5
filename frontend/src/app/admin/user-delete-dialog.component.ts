import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { User } from '../core/api/models';

export interface UserDeleteData {
  user: User;
  /** Who may receive the containers: the other enabled users. */
  others: User[];
}

/** What the admin chose: the user who receives the containers, or null to delete them. */
export interface UserDeleteChoice {
  to: string | null;
}

/** Asks what becomes of a user's containers before the account is deleted. */
@Component({
  selector: 'bp-user-delete-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatSelectModule,
  ],
  template: `
    <h2 mat-dialog-title>Delete {{ data.user.username }}?</h2>
    <mat-dialog-content>
      <p>
        They can no longer sign in; their sessions and API tokens end. Their bookmarks, branches and
        templates go to whoever receives the containers (you, when none is chosen).
      </p>
      <mat-form-field appearance="outline">
        <mat-label>Their containers</mat-label>
        <mat-select [formControl]="to">
          <mat-option [value]="null"
            >Delete those they own alone; co-owners keep the rest</mat-option
          >
          @for (other of data.others; track other.id) {
            <mat-option [value]="other.id">Hand over to {{ other.username }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" class="danger" [mat-dialog-close]="choice()">
        Delete user
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    mat-form-field {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UserDeleteDialogComponent {
  protected readonly data = inject<UserDeleteData>(MAT_DIALOG_DATA);
  protected readonly to = new FormControl<string | null>(null);

  protected choice(): UserDeleteChoice {
    return { to: this.to.value };
  }
}
