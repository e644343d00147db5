import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { catchError, combineLatest, debounceTime, of, switchMap, tap } from 'rxjs';
import { BookmarkQuery, BookmarksApi } from '../core/api/bookmarks.api';
import { ContainersApi } from '../core/api/containers.api';
import { errorMessage } from '../core/api/error-message';
import { Bookmark, Container } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import {
  NewBranchChoice,
  NewBranchDialogComponent,
  NewBranchDialogData,
  branchNameFrom,
} from '../containers/new-branch-dialog.component';
import { BugRefComponent } from '../shared/bug-ref.component';
import { CopyButtonComponent } from '../shared/copy-button.component';
import { EmptyStateComponent } from '../shared/empty-state.component';
import { IconComponent } from '../shared/icon.component';
import { LoadingComponent } from '../shared/loading.component';
import { BookmarkBranching, canTake } from './bookmark-branching.service';
import { bookmarkLink } from './bookmark-link';

type Scope = NonNullable<BookmarkQuery['scope']>;

/** Every bookmark I can use: mine and those shared with me, searchable, with "New branch". */
@Component({
  selector: 'bp-bookmarks-catalog',
  imports: [
    DatePipe,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    BugRefComponent,
    CopyButtonComponent,
    EmptyStateComponent,
    IconComponent,
    LoadingComponent,
  ],
  templateUrl: './bookmarks-catalog.component.html',
  styleUrl: './bookmarks-catalog.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BookmarksCatalogComponent {
  private readonly api = inject(BookmarksApi);
  private readonly containersApi = inject(ContainersApi);
  private readonly dialog = inject(MatDialog);
  private readonly ops = inject(OperationsService);
  private readonly router = inject(Router);
  private readonly branching = inject(BookmarkBranching);

  /** `?q=` from the URL, e.g. when following a bug reference link. */
  readonly q = input<string | undefined>();

  protected readonly scope = signal<Scope>('all');
  protected readonly text = signal('');
  protected readonly tag = signal('');
  protected readonly bookmarks = signal<Bookmark[] | null>(null);
  protected readonly error = signal<string | null>(null);
  /** The containers I can see; branches go only into those I own (`canTake`). */
  private readonly visibleContainers = signal<Container[]>([]);
  private readonly knownTags = signal<string[]>([]);
  /** Every tag seen in any answer, so picking a tag does not hide the others. */
  protected readonly tags = computed(() => [...this.knownTags()].sort());

  constructor() {
    toObservable(this.q)
      .pipe(takeUntilDestroyed())
      .subscribe((q) => this.text.set(q ?? ''));
    combineLatest([
      toObservable(this.scope),
      toObservable(this.text).pipe(debounceTime(250)),
      toObservable(this.tag),
    ])
      .pipe(
        tap(() => this.error.set(null)),
        switchMap(([scope, q, tag]) =>
          this.api.list({ scope, q: q.trim(), tag }).pipe(
            catchError((e: unknown) => {
              this.error.set(`Could not load bookmarks: ${errorMessage(e)}`);
              return of([]);
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((list) => {
        this.bookmarks.set(list);
        this.knownTags.update((known) => [...new Set([...known, ...list.flatMap((b) => b.tags)])]);
      });
    this.containersApi.list().subscribe({
      next: (list) => this.visibleContainers.set(list),
      error: () => this.visibleContainers.set([]),
    });
  }

  protected readonly link = bookmarkLink;

  protected visibility(b: Bookmark): string {
    if (!b.mine) return `from ${b.creator}`;
    return b.visibility === 'everyone'
      ? 'shared with everyone'
      : b.visibility === 'users'
        ? 'shared'
        : 'private';
  }

  /** Branch from the bookmark into one of my containers of its template (or make one). */
  newBranch(bookmark: Bookmark): void {
    const targets = this.visibleContainers().filter((c) => canTake(c, bookmark));
    if (!targets.length) {
      void this.branching.newContainer(bookmark);
      return;
    }
    this.dialog
      .open<NewBranchDialogComponent, NewBranchDialogData, NewBranchChoice>(
        NewBranchDialogComponent,
        {
          data: {
            from: `bookmark “${bookmark.name}”`,
            suggestedName: branchNameFrom(bookmark.name),
            containers: targets,
          },
        },
      )
      .afterClosed()
      .subscribe(async (choice) => {
        if (!choice?.containerId) return;
        const outcome = await this.ops.run(
          'New branch',
          this.containersApi.createBranch(choice.containerId, {
            name: choice.name,
            fromBookmarkId: bookmark.id,
            ...choice.expiry,
          }),
          `Branch ${choice.name} created. Activate it to use its data.`,
        );
        if (outcome.ok) void this.router.navigate(['/containers', choice.containerId]);
      });
  }
}
