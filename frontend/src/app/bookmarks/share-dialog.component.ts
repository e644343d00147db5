import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatRadioModule } from '@angular/material/radio';
import { catchError, of } from 'rxjs';
import { AdminApi } from '../core/api/admin.api';
import { ShareTarget } from '../core/api/bookmarks.api';
import { Bookmark } from '../core/api/models';
import { AuthService } from '../core/auth/auth.service';

export interface ShareDialogData {
  bookmark: Bookmark;
}

/** Whom to share with, or `private` to stop sharing. */
export type ShareChoice = ShareTarget | 'private';

/** Who may see a bookmark and branch from it: chosen users, or everyone. */
@Component({
  selector: 'bp-share-dialog',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatCheckboxModule, MatRadioModule],
  template: `
    <h2 mat-dialog-title>Share “{{ data.bookmark.name }}”</h2>
    <mat-dialog-content>
      <mat-radio-group
        aria-label="Share with"
        [ngModel]="mode()"
        (ngModelChange)="mode.set($event)"
        class="modes"
      >
        <mat-radio-button value="users">Selected users</mat-radio-button>
        <mat-radio-button value="everyone">Everyone</mat-radio-button>
      </mat-radio-group>
      @if (mode() === 'users') {
        <div class="users" role="group" aria-label="Users">
          @for (user of others(); track user.id) {
            <mat-checkbox
              [checked]="picked().has(user.id)"
              (change)="toggle(user.id, $event.checked)"
              >{{ user.username }}</mat-checkbox
            >
          } @empty {
            <p class="bp-muted">No other users yet. An admin can add them under Admin → Users.</p>
          }
        </div>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (data.bookmark.visibility !== 'private') {
        <button mat-button type="button" class="stop" [mat-dialog-close]="'private'">
          Stop sharing
        </button>
      }
      <span class="bp-spacer"></span>
      <button mat-button type="button" mat-dialog-close>Cancel</button>
      <button mat-flat-button type="button" [disabled]="!valid()" (click)="share()">Share</button>
    </mat-dialog-actions>
  `,
  styles: `
    .modes {
      display: flex;
      gap: 16px;
      margin-bottom: 12px;
    }
    .stop {
      color: var(--mat-sys-error);
    }
    .users {
      display: flex;
      flex-direction: column;
      max-height: 280px;
      overflow: auto;
      min-width: 360px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShareDialogComponent {
  protected readonly data = inject<ShareDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<ShareDialogComponent, ShareChoice>>(MatDialogRef);
  private readonly me = inject(AuthService).user;
  private readonly users = toSignal(
    inject(AdminApi)
      .users()
      .pipe(catchError(() => of([]))),
    { initialValue: [] },
  );

  protected readonly mode = signal<'users' | 'everyone'>(
    this.data.bookmark.visibility === 'everyone' ? 'everyone' : 'users',
  );
  protected readonly picked = signal(new Set(this.data.bookmark.sharedWith ?? []));
  protected readonly others = computed(() => this.users().filter((u) => u.id !== this.me()?.id));
  protected readonly valid = computed(() => this.mode() === 'everyone' || this.picked().size > 0);

  toggle(userId: string, checked: boolean): void {
    this.picked.update((set) => {
      const next = new Set(set);
      if (checked) next.add(userId);
      else next.delete(userId);
      return next;
    });
  }

  share(): void {
    this.ref.close(
      this.mode() === 'everyone' ? { everyone: true } : { userIds: [...this.picked()] },
    );
  }
}
