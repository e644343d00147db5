import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { firstValueFrom, map } from 'rxjs';
import { Orphan } from '../core/api/models';
import { BytesPipe } from '../shared/bytes.pipe';

/**
 * Shows exactly what a destroy of the selected orphans removes — every dataset, how many
 * snapshots, the space — and answers true only on an explicit confirmation.
 */
@Component({
  selector: 'bp-orphan-destroy-dialog',
  imports: [MatDialogModule, MatButtonModule, BytesPipe],
  template: `
    <h2 mat-dialog-title>
      Destroy {{ orphans.length }} {{ orphans.length === 1 ? 'orphan' : 'orphans' }} for good?
    </h2>
    <mat-dialog-content>
      <p>
        These datasets, their snapshots and all data in them are destroyed. Anything that changed
        since this list was read is refused, and nothing is destroyed then.
      </p>
      <ul aria-label="What is destroyed">
        @for (o of orphans; track o.hostId + o.key) {
          <li>
            <strong>{{ o.key }}</strong> on {{ o.host }} — {{ o.bytes | bytes }}, {{ o.snapshots }}
            {{ o.snapshots === 1 ? 'snapshot' : 'snapshots' }}
            @for (dataset of o.datasets; track dataset) {
              <div class="mono">{{ dataset }}</div>
            }
          </li>
        }
      </ul>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false">Cancel</button>
      <button mat-flat-button type="button" class="danger" [mat-dialog-close]="true">
        Destroy {{ datasetCount }} {{ datasetCount === 1 ? 'dataset' : 'datasets' }}
      </button>
    </mat-dialog-actions>
  `,
  styles: `
    p,
    ul {
      max-width: 560px;
    }
    li {
      margin-bottom: 8px;
    }
    .mono {
      font-family: monospace;
      font-size: 12px;
      word-break: break-all;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrphanDestroyDialogComponent {
  protected readonly orphans = inject<Orphan[]>(MAT_DIALOG_DATA);
  protected readonly datasetCount = this.orphans.reduce((n, o) => n + o.datasets.length, 0);
}

/** Asks the admin about exactly these orphans; resolves true only when they confirm. */
export function confirmOrphanDestroy(dialog: MatDialog, orphans: Orphan[]): Promise<boolean> {
  return firstValueFrom(
    dialog
      .open<OrphanDestroyDialogComponent, Orphan[], boolean>(OrphanDestroyDialogComponent, {
        data: orphans,
        autoFocus: 'dialog',
      })
      .afterClosed()
      .pipe(map((answer) => answer === true)),
  );
}
