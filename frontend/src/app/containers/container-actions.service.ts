import { Injectable, inject } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { ContainersApi } from '../core/api/containers.api';
import { Container, ContainerHost } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { confirmed } from '../shared/confirm-dialog.component';
import { MoveContainerData, MoveContainerDialogComponent } from './move-container-dialog.component';
import { OwnersChange, OwnersDialogComponent, OwnersDialogData } from './owners-dialog.component';

/**
 * What the owners do with a whole container: refresh, undo, start and stop its databases,
 * lock, share ownership, move it to another host and delete. Each action asks first where it
 * is disruptive and shows in the operations panel; it resolves true once it ran (whatever the
 * outcome, so the page reloads) and false when the user cancelled.
 */
@Injectable({ providedIn: 'root' })
export class ContainerActions {
  private readonly api = inject(ContainersApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);

  /** The template's latest data on the active branch, once confirmed. */
  async refresh(containerId: string): Promise<boolean> {
    const yes = await confirmed(this.dialog, {
      title: 'Refresh from the template?',
      message:
        'The active branch gets the template’s latest data. Bookmarks stay; a point is recorded first so Undo brings the current data back.',
      confirm: 'Refresh',
    });
    if (!yes) return false;
    await this.ops.run(
      'Refresh',
      this.api.operate(containerId, 'refresh'),
      'Container refreshed with the latest data',
    );
    return true;
  }

  async undo(containerId: string): Promise<boolean> {
    await this.ops.run(
      'Undo',
      this.api.operate(containerId, 'undo'),
      'The last operation was undone',
    );
    return true;
  }

  async start(containerId: string): Promise<boolean> {
    await this.ops.run('Start', this.api.operate(containerId, 'start'), 'Databases started');
    return true;
  }

  /** Stopping cuts every open connection, so it is confirmed like the other disruptive actions. */
  async stop(containerId: string): Promise<boolean> {
    const yes = await confirmed(this.dialog, {
      title: 'Stop the databases?',
      message:
        'Open connections are closed. The data stays; Start serves it again on the same ports.',
      confirm: 'Stop',
    });
    if (!yes) return false;
    await this.ops.run(
      'Stop',
      this.api.operate(containerId, 'stop'),
      'Databases stopped; the data stays',
    );
    return true;
  }

  /** Locking leaves the container to me alone until I unlock it. */
  async setLocked(containerId: string, locked: boolean): Promise<boolean> {
    await this.ops.run(
      locked ? 'Lock' : 'Unlock',
      this.api.operate(containerId, locked ? 'lock' : 'unlock'),
      locked ? 'Locked: only you can operate on this container' : 'Unlocked',
    );
    return true;
  }

  /** Adds or removes one owner, as chosen in the owners dialog. */
  async manageOwners(container: Container): Promise<boolean> {
    const change = await firstValueFrom(
      this.dialog
        .open<OwnersDialogComponent, OwnersDialogData, OwnersChange>(OwnersDialogComponent, {
          data: { containerName: container.name, owners: container.owners },
        })
        .afterClosed(),
    );
    if (!change) return false;
    if ('add' in change) {
      await this.ops.run(
        'Add owner',
        this.api.addOwner(container.id, change.add.id),
        `${change.add.username} now owns ${container.name} too`,
      );
    } else {
      await this.ops.run(
        'Remove owner',
        this.api.removeOwner(container.id, change.remove.id),
        `${change.remove.username} no longer owns ${container.name}`,
      );
    }
    return true;
  }

  /** Moves the container to one of `hosts` (the others its template is on), as chosen in the dialog. */
  async move(container: Container, hosts: ContainerHost[]): Promise<boolean> {
    const hostId = await firstValueFrom(
      this.dialog
        .open<MoveContainerDialogComponent, MoveContainerData, string>(
          MoveContainerDialogComponent,
          { data: { containerName: container.name, hosts } },
        )
        .afterClosed(),
    );
    if (!hostId) return false;
    const name = hosts.find((h) => h.id === hostId)?.name ?? hostId;
    await this.ops.run(
      'Move',
      this.api.move(container.id, hostId),
      `${container.name} moved to host ${name}: its connection string changed`,
    );
    return true;
  }

  /** Deletes the container once confirmed, and goes back to the list when it is gone. */
  async delete(container: Container): Promise<boolean> {
    const yes = await confirmed(this.dialog, {
      title: `Delete ${container.name}?`,
      message:
        'Its databases, branches and timeline are deleted. Bookmarks others depend on keep the deletion waiting until they are gone.',
      confirm: 'Delete',
    });
    if (!yes) return false;
    const outcome = await this.ops.run(
      'Delete container',
      this.api.delete(container.id),
      `Container ${container.name} deleted`,
    );
    if (outcome.ok) await this.router.navigate(['/containers']);
    return true;
  }
}
