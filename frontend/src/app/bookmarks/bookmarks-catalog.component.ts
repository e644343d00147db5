import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { catchError, combineLatest, debounceTime, of, switchMap, tap } from 'rxjs';
import { BookmarkQuery, BookmarksApi } from '../core/api/bookmarks.api';
import { ContainersApi } from '../core/api/containers.api';
import { errorMessage } from '../core/api/error-message';
import { Bookmark, Container } from '../core/api/models';
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
    MatMenuModule,
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
  private readonly branching = inject(BookmarkBranching);

  /** `?q=` from the URL, e.g. when following a bug reference link. */
  readonly q = input<string | undefined>();

  protected readonly scope = signal<Scope>('all');
  protected readonly text = signal('');
  protected readonly tag = signal('');
  protected readonly bookmarks = signal<Bookmark[] | null>(null);
  protected readonly error = signal<string | null>(null);
  /** The containers I can see, null until loaded; branches go only into mine (`canTake`). */
  private readonly visibleContainers = signal<Container[] | null>(null);
  protected readonly containersError = signal<string | null>(null);
  /** Bookmarks whose New branch is running. */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
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
    this.loadContainers();
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

  /** My containers that can take a branch of the bookmark; null until they are known. */
  protected targetsOf(bookmark: Bookmark): Container[] | null {
    return this.visibleContainers()?.filter((c) => canTake(c, bookmark)) ?? null;
  }

  /** Where a one-click New branch puts the data, for screen readers: " into dev-box". */
  protected into(targets: Container[] | null): string {
    if (!targets || targets.length > 1) return '';
    return targets[0] ? ` into ${targets[0].name}` : ' into a new container';
  }

  /**
   * The bookmark's data, active in `target` (one of `targetsOf`), as on the bookmark's page;
   * without a target, in a new container of my own.
   */
  async newBranch(bookmark: Bookmark, target: Container | undefined): Promise<void> {
    this.busy.update((ids) => new Set(ids).add(bookmark.id));
    try {
      if (target) await this.branching.branchAndActivate(bookmark, target);
      // The next New branch of this template goes into the new container.
      else if (await this.branching.newContainer(bookmark)) this.loadContainers();
    } finally {
      this.busy.update((ids) => new Set([...ids].filter((id) => id !== bookmark.id)));
    }
  }

  private loadContainers(): void {
    this.containersApi.list().subscribe({
      next: (list) => {
        this.visibleContainers.set(list);
        this.containersError.set(null);
      },
      error: (e: unknown) =>
        this.containersError.set(`Could not load your containers: ${errorMessage(e)}`),
    });
  }
}
