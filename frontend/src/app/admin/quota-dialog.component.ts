import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { QuotaEditorComponent } from './quota-editor.component';

export interface QuotaDialogData {
  userId: string;
  username: string;
}

/** One user's quota overrides, opened from the users admin page. */
@Component({
  selector: 'bp-quota-dialog',
  imports: [MatButtonModule, MatDialogModule, QuotaEditorComponent],
  template: `
    <mat-dialog-content>
      <bp-quota-editor [userId]="data.userId" [username]="data.username" />
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button mat-dialog-close>Close</button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QuotaDialogComponent {
  protected readonly data = inject<QuotaDialogData>(MAT_DIALOG_DATA);
}

/** Opens the quota editor of one user. */
export function openQuotaDialog(dialog: MatDialog, data: QuotaDialogData): void {
  dialog.open(QuotaDialogComponent, { data, width: '640px' });
}
