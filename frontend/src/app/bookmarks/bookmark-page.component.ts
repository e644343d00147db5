import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { catchError, forkJoin, map, of, switchMap } from 'rxjs';
import { AdminApi } from '../core/api/admin.api';
import { BookmarksApi } from '../core/api/bookmarks.api';
import { errorCode, errorMessage } from '../core/api/error-message';
import { Bookmark, Container } from '../core/api/models';
import { ActionButtonComponent } from '../shared/action-button.component';
import { BugRefComponent } from '../shared/bug-ref.component';
import { CopyButtonComponent } from '../shared/copy-button.component';
import { EmptyStateComponent } from '../shared/empty-state.component';
import { IconComponent } from '../shared/icon.component';
import { LoadingComponent } from '../shared/loading.component';
import { BookmarkBranching } from './bookmark-branching.service';
import { ExpiryLabelComponent } from '../shared/expiry-label.component';
import { visibilityLabel } from './bookmark-visibility';
import { bookmarkLink } from './bookmark-link';

type PageState =
  | { kind: 'loading' }
  | { kind: 'notFound' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; bookmark: Bookmark; templateName: string; targets: Container[] };

/**
 * The page a bookmark's shared link opens: what the bookmark is, and one click to work on its
 * data in my own container. Anyone it is not shared with sees "not found" (the API's 404).
 */
@Component({
  selector: 'bp-bookmark-page',
  imports: [
    DatePipe,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatSelectModule,
    ActionButtonComponent,
    BugRefComponent,
    CopyButtonComponent,
    EmptyStateComponent,
    ExpiryLabelComponent,
    IconComponent,
    LoadingComponent,
  ],
  templateUrl: './bookmark-page.component.html',
  styleUrl: './bookmark-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BookmarkPageComponent {
  private readonly bookmarks = inject(BookmarksApi);
  private readonly admin = inject(AdminApi);
  private readonly branching = inject(BookmarkBranching);
  private readonly router = inject(Router);

  /** Route parameter `:id`. */
  readonly id = input.required<string>();

  protected readonly state = signal<PageState>({ kind: 'loading' });
  /** The container that gets the branch: preselected when I have exactly one. */
  protected readonly targetId = signal<string>('');
  protected readonly busy = signal(false);
  protected readonly link = computed(() => bookmarkLink(this.id()));

  constructor() {
    toObservable(this.id)
      .pipe(
        switchMap((id) => {
          this.state.set({ kind: 'loading' });
          return this.bookmarks.get(id).pipe(
            switchMap((bookmark) =>
              forkJoin({
                templateName: this.admin.template(bookmark.templateId).pipe(
                  map((t) => t.name),
                  catchError(() => of('')),
                ),
                targets: this.branching.targetsFor(bookmark).pipe(catchError(() => of([]))),
              }).pipe(map((more): PageState => ({ kind: 'ready', bookmark, ...more }))),
            ),
            catchError((e: unknown) =>
              of<PageState>(
                errorCode(e) === 'bookmark.not-found'
                  ? { kind: 'notFound' }
                  : { kind: 'error', message: `Could not load this bookmark: ${errorMessage(e)}` },
              ),
            ),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((state) => {
        this.state.set(state);
        if (state.kind === 'ready')
          this.targetId.set(state.targets.length === 1 ? state.targets[0]!.id : '');
      });
  }

  protected readonly visibility = visibilityLabel;

  /** One click: the bookmark's data active in my container, which then opens. */
  async newBranch(bookmark: Bookmark, targets: Container[]): Promise<void> {
    const target = targets.find((c) => c.id === this.targetId());
    if (!target) return;
    await this.openWhenDone(() => this.branching.branchAndActivate(bookmark, target));
  }

  async newContainer(bookmark: Bookmark): Promise<void> {
    await this.openWhenDone(() => this.branching.newContainer(bookmark));
  }

  /** Runs `work` with the buttons off, then opens the container it answers, if any. */
  private async openWhenDone(work: () => Promise<string | null>): Promise<void> {
    this.busy.set(true);
    try {
      const containerId = await work();
      if (containerId) await this.router.navigate(['/containers', containerId]);
    } finally {
      this.busy.set(false);
    }
  }
}
