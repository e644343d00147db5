import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { Observable, firstValueFrom, map } from 'rxjs';

export interface ConfirmData {
  title: string;
  message: string;
  /** Accessible name of the confirming button, e.g. "Delete". */
  confirm: string;
}

/** Asks before a destructive action; resolves true only on an explicit confirmation. */
@Component({
  selector: 'bp-confirm-dialog',
  imports: [MatDialogModule, MatButtonModule],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>
      <p>{{ data.message }}</p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false">Cancel</button>
      <button mat-flat-button type="button" class="danger" [mat-dialog-close]="true">
        {{ data.confirm }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    p {
      max-width: 440px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmDialogComponent {
  protected readonly data = inject<ConfirmData>(MAT_DIALOG_DATA);
}

export function confirmAction(dialog: MatDialog, data: ConfirmData): Observable<boolean> {
  return dialog
    .open<ConfirmDialogComponent, ConfirmData, boolean>(ConfirmDialogComponent, {
      data,
      autoFocus: 'dialog',
    })
    .afterClosed()
    .pipe(map((answer) => answer === true));
}

/** `confirmAction` for code that awaits the answer. */
export function confirmed(dialog: MatDialog, data: ConfirmData): Promise<boolean> {
  return firstValueFrom(confirmAction(dialog, data));
}
