import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { ContainerHost } from '../core/api/models';
import { hostChoices } from './host-choices';

export interface MoveContainerData {
  containerName: string;
  /** Where it may go: the other hosts its template is available on, best first. */
  hosts: ContainerHost[];
}

/** Chooses the host a container moves to; closes with its id. */
@Component({
  selector: 'bp-move-container-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatSelectModule,
    MatButtonModule,
  ],
  template: `
    <h2 mat-dialog-title>Move {{ data.containerName }}</h2>
    <mat-dialog-content>
      <p>
        Its branches, points and bookmarks go along. It is copied while it runs, then its databases
        stop for a few seconds while the last changes follow, and start on the new host.
        <strong>Its connection strings change</strong> (host and port): clients must reconnect.
      </p>
      <mat-form-field>
        <mat-label>To host</mat-label>
        <mat-select [formControl]="hostId">
          @for (h of choices; track h.id) {
            <mat-option [value]="h.id" [disabled]="h.disabled">{{ h.label }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button mat-dialog-close type="button">Cancel</button>
      <button mat-flat-button type="button" [disabled]="hostId.invalid" (click)="move()">
        Move
      </button>
    </mat-dialog-actions>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MoveContainerDialogComponent {
  protected readonly data = inject<MoveContainerData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<MoveContainerDialogComponent, string>>(MatDialogRef);
  protected readonly choices = hostChoices(this.data.hosts);
  /** The best host that is up, so Move is one click in the usual case. */
  protected readonly hostId = new FormControl(this.choices.find((h) => !h.disabled)?.id ?? '', {
    nonNullable: true,
    validators: [Validators.required],
  });

  move(): void {
    if (this.hostId.valid) this.ref.close(this.hostId.value);
  }
}
