import { Injectable, inject } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { ContainersApi } from '../core/api/containers.api';
import { Branch } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { confirmed } from '../shared/confirm-dialog.component';
import { pointLabel } from '../timeline/timeline-layout';
import { TimelineSelection } from '../timeline/timeline-selection';
import {
  NewBranchChoice,
  NewBranchDialogComponent,
  NewBranchDialogData,
  branchNameFrom,
} from './new-branch-dialog.component';

/** A point of a branch's timeline, maybe a bookmark: where a branch starts or a restore goes. */
export type PointSelection = Extract<TimelineSelection, { kind: 'point' }>;

/**
 * What the owners of a container do with its branches: make one from a point or bookmark,
 * activate, reset, restore and delete them. Each action asks first where it is disruptive and
 * shows in the operations panel; it resolves true once it ran (whatever the outcome, so the
 * page reloads) and false when the user cancelled.
 */
@Injectable({ providedIn: 'root' })
export class BranchActions {
  private readonly api = inject(ContainersApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);

  /** Asks for a name and an expiry, then creates the branch; creating does not activate it. */
  async branchFrom(containerId: string, at: PointSelection): Promise<boolean> {
    const from = at.bookmark
      ? `bookmark “${at.bookmark.name}”`
      : `the ${pointLabel(at.point).toLowerCase()} point on ${at.branch.name}`;
    const choice = await firstValueFrom(
      this.dialog
        .open<NewBranchDialogComponent, NewBranchDialogData, NewBranchChoice>(
          NewBranchDialogComponent,
          {
            data: { from, suggestedName: at.bookmark ? branchNameFrom(at.bookmark.name) : '' },
          },
        )
        .afterClosed(),
    );
    if (!choice) return false;
    const origin = at.bookmark ? { fromBookmarkId: at.bookmark.id } : { fromPointId: at.point.id };
    await this.ops.run(
      'New branch',
      this.api.createBranch(containerId, { name: choice.name, ...origin, ...choice.expiry }),
      `Branch ${choice.name} created. Activate it to use its data.`,
    );
    return true;
  }

  async activate(branch: Branch): Promise<boolean> {
    await this.ops.run(
      'Activate',
      this.api.activate(branch.id),
      `${branch.name} is active: the connection strings now serve its data`,
    );
    return true;
  }

  /** Throws away the changes since the branch's last point, once confirmed. */
  async reset(branch: Branch): Promise<boolean> {
    const yes = await confirmed(this.dialog, {
      title: `Reset ${branch.name}?`,
      message:
        'Every change made since the last timeline point is thrown away. Undo brings it back.',
      confirm: 'Reset',
    });
    if (!yes) return false;
    await this.ops.run(
      'Reset',
      this.api.reset(branch.id),
      `${branch.name} was reset to its last point`,
    );
    return true;
  }

  /** Gives the branch the data of the point or bookmark, once confirmed. */
  async restore(at: PointSelection): Promise<boolean> {
    const target = at.bookmark
      ? `bookmark “${at.bookmark.name}”`
      : `${pointLabel(at.point).toLowerCase()} point of ${new Date(at.point.createdAt).toLocaleString()}`;
    const yes = await confirmed(this.dialog, {
      title: `Restore ${at.branch.name}?`,
      message: `${at.branch.name} gets the data of ${target}. Its current data is recorded as a point first, so Undo brings it back.`,
      confirm: 'Restore',
    });
    if (!yes) return false;
    await this.ops.run(
      'Restore',
      this.api.restore(
        at.branch.id,
        at.bookmark ? { bookmarkId: at.bookmark.id } : { pointId: at.point.id },
      ),
      `${at.branch.name} restored to ${target}`,
    );
    return true;
  }

  async delete(branch: Branch): Promise<boolean> {
    const yes = await confirmed(this.dialog, {
      title: `Delete branch ${branch.name}?`,
      message: 'Its timeline and data are deleted. Bookmarks on it must be deleted first.',
      confirm: 'Delete',
    });
    if (!yes) return false;
    await this.ops.run(
      'Delete branch',
      this.api.deleteBranch(branch.id),
      `Branch ${branch.name} deleted`,
    );
    return true;
  }
}
