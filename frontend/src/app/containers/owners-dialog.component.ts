import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { catchError, of } from 'rxjs';
import { AdminApi } from '../core/api/admin.api';
import { UserRef } from '../core/api/models';
import { ActionButtonComponent } from '../shared/action-button.component';

export interface OwnersDialogData {
  containerName: string;
  owners: UserRef[];
}

/** One change to a container's owners. */
export type OwnersChange = { add: UserRef } | { remove: UserRef };

/**
 * Owners share a container completely: its databases, branches and operations. The dialog
 * answers one change at a time; the last owner cannot be removed.
 */
@Component({
  selector: 'bp-owners-dialog',
  imports: [
    ActionButtonComponent,
    FormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatSelectModule,
  ],
  template: `
    <h2 mat-dialog-title>Owners of {{ data.containerName }}</h2>
    <mat-dialog-content>
      <ul aria-label="Owners">
        @for (owner of data.owners; track owner.id) {
          <li>
            <span>{{ owner.username }}</span>
            <bp-action-button
              label="Remove"
              appearance="text"
              [ariaLabel]="'Remove ' + owner.username"
              [disabled]="data.owners.length === 1"
              (pressed)="ref.close({ remove: owner })"
            />
          </li>
        }
      </ul>
      <div class="add">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>Add an owner</mat-label>
          <!-- Until the users arrived a select has no options and would not open on a click. -->
          <mat-select
            [ngModel]="pick()"
            (ngModelChange)="pick.set($event)"
            [disabled]="users() === null"
          >
            @for (user of candidates(); track user.id) {
              <mat-option [value]="user">{{ user.username }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <bp-action-button label="Add" appearance="filled" [disabled]="!pick()" (pressed)="add()" />
      </div>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  styles: `
    ul {
      list-style: none;
      padding: 0;
      margin: 0 0 16px;
      min-width: 360px;
    }
    li {
      display: flex;
      align-items: center;
      justify-content: space-between;
      padding: 4px 0;
      border-bottom: 1px solid var(--bp-border);
    }
    .add {
      display: flex;
      align-items: center;
      gap: 12px;
      mat-form-field {
        flex: 1;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OwnersDialogComponent {
  protected readonly data = inject<OwnersDialogData>(MAT_DIALOG_DATA);
  protected readonly ref = inject<MatDialogRef<OwnersDialogComponent, OwnersChange>>(MatDialogRef);
  /** null until the list arrived. */
  protected readonly users = toSignal(
    inject(AdminApi)
      .users()
      .pipe(catchError(() => of([]))),
    { initialValue: null },
  );
  protected readonly pick = signal<UserRef | null>(null);
  protected readonly candidates = computed(() =>
    (this.users() ?? [])
      .filter((u) => !this.data.owners.some((o) => o.id === u.id))
      .map((u) => ({ id: u.id, username: u.username })),
  );

  protected add(): void {
    const user = this.pick();
    if (user) this.ref.close({ add: user });
  }
}
