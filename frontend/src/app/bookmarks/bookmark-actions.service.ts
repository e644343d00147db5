import { Injectable, inject } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { BookmarksApi } from '../core/api/bookmarks.api';
import { Bookmark, BookmarkFields, Branch } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { confirmed } from '../shared/confirm-dialog.component';
import { BookmarkDialogComponent, BookmarkDialogData } from './bookmark-dialog.component';
import { ShareChoice, ShareDialogComponent, ShareDialogData } from './share-dialog.component';

/**
 * What the owner of a bookmark does with it on the container page: bookmark the data of a
 * branch, edit, share and delete. Each action asks in a dialog first and shows in the
 * operations panel; it resolves true once it ran (whatever the outcome, so the page reloads)
 * and false when the user cancelled.
 */
@Injectable({ providedIn: 'root' })
export class BookmarkActions {
  private readonly api = inject(BookmarksApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);

  /** Asks for the bookmark's fields, then bookmarks the branch's current data. */
  async create(branch: Branch): Promise<boolean> {
    const fields = await this.askFields({ branchName: branch.name });
    if (!fields) return false;
    await this.ops.run(
      'Bookmark',
      this.api.create(branch.id, fields),
      `Bookmark “${fields.name}” created`,
    );
    return true;
  }

  async edit(bookmark: Bookmark): Promise<boolean> {
    const fields = await this.askFields({ bookmark });
    if (!fields) return false;
    await this.ops.run(
      'Save bookmark',
      this.api.update(bookmark.id, fields),
      `Bookmark “${fields.name}” saved`,
    );
    return true;
  }

  /** Asks whom to share with; "Stop sharing" makes the bookmark private again. */
  async share(bookmark: Bookmark): Promise<boolean> {
    const choice = await firstValueFrom(
      this.dialog
        .open<ShareDialogComponent, ShareDialogData, ShareChoice>(ShareDialogComponent, {
          data: { bookmark },
        })
        .afterClosed(),
    );
    if (!choice) return false;
    if (choice === 'private') {
      await this.ops.run(
        'Stop sharing',
        this.api.unshare(bookmark.id),
        `Bookmark “${bookmark.name}” is no longer shared`,
      );
    } else {
      await this.ops.run(
        'Share',
        this.api.share(bookmark.id, choice),
        `Bookmark “${bookmark.name}” shared`,
      );
    }
    return true;
  }

  async delete(bookmark: Bookmark): Promise<boolean> {
    const yes = await confirmed(this.dialog, {
      title: `Delete bookmark “${bookmark.name}”?`,
      message: 'Its protected data is released. Branches made from it keep their data.',
      confirm: 'Delete',
    });
    if (!yes) return false;
    await this.ops.run(
      'Delete bookmark',
      this.api.delete(bookmark.id),
      `Bookmark “${bookmark.name}” deleted`,
    );
    return true;
  }

  private askFields(data: BookmarkDialogData): Promise<BookmarkFields | undefined> {
    return firstValueFrom(
      this.dialog
        .open<BookmarkDialogComponent, BookmarkDialogData, BookmarkFields>(
          BookmarkDialogComponent,
          { data },
        )
        .afterClosed(),
    );
  }
}
