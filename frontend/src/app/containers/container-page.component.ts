import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import {
  EMPTY,
  Observable,
  Subject,
  catchError,
  debounceTime,
  forkJoin,
  map,
  merge,
  of,
  startWith,
  switchMap,
} from 'rxjs';
import {
  BookmarkDialogComponent,
  BookmarkDialogData,
} from '../bookmarks/bookmark-dialog.component';
import {
  ShareChoice,
  ShareDialogComponent,
  ShareDialogData,
} from '../bookmarks/share-dialog.component';
import { AdminApi } from '../core/api/admin.api';
import { BookmarksApi } from '../core/api/bookmarks.api';
import { ContainersApi } from '../core/api/containers.api';
import { errorMessage } from '../core/api/error-message';
import { Bookmark, BookmarkFields, Branch, Container, TimelinePoint } from '../core/api/models';
import { AuthService } from '../core/auth/auth.service';
import { OperationsService } from '../core/jobs/operations.service';
import { confirmAction } from '../shared/confirm-dialog.component';
import { CopyButtonComponent } from '../shared/copy-button.component';
import { ExpiryActionsComponent } from '../shared/expiry-actions.component';
import { ExpiryLabelComponent } from '../shared/expiry-label.component';
import { IconComponent } from '../shared/icon.component';
import { LoadingComponent } from '../shared/loading.component';
import { SelectionAction, SelectionPanelComponent } from '../timeline/selection-panel.component';
import { TimelineComponent } from '../timeline/timeline.component';
import { pointLabel } from '../timeline/timeline-layout';
import { TimelineSelection } from '../timeline/timeline-selection';
import { CaCertificateButtonComponent } from './ca-certificate-button.component';
import { ContainerLiveService } from './container-live.service';
import { RotatePasswordButtonComponent } from './rotate-password-button.component';
import { ServerSettingsPanelComponent } from './server-settings-panel.component';
import { ExpiryBannerComponent } from './expiry-banner.component';
import { servingLabel, statusClass } from './container-status';
import { OwnersChange, OwnersDialogComponent, OwnersDialogData } from './owners-dialog.component';
import {
  NewBranchChoice,
  NewBranchDialogComponent,
  NewBranchDialogData,
  branchNameFrom,
} from './new-branch-dialog.component';

interface ContainerView {
  container: Container;
  branches: Branch[];
  points: Map<string, TimelinePoint[]>;
  bookmarks: Bookmark[];
}

/** One container: its connection strings, its timeline, and every operation on it. */
@Component({
  selector: 'bp-container-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatTooltipModule,
    CopyButtonComponent,
    ExpiryActionsComponent,
    ExpiryBannerComponent,
    ExpiryLabelComponent,
    IconComponent,
    LoadingComponent,
    TimelineComponent,
    SelectionPanelComponent,
    CaCertificateButtonComponent,
    RotatePasswordButtonComponent,
    ServerSettingsPanelComponent,
  ],
  templateUrl: './container-page.component.html',
  styleUrl: './container-page.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContainerPageComponent {
  private readonly api = inject(ContainersApi);
  private readonly bookmarksApi = inject(BookmarksApi);
  private readonly admin = inject(AdminApi);
  private readonly auth = inject(AuthService);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly live = inject(ContainerLiveService);

  /** Route parameter `:id`. */
  readonly id = input.required<string>();

  protected readonly view = signal<ContainerView | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly selection = signal<TimelineSelection | null>(null);
  private readonly reloads = new Subject<void>();

  protected readonly container = computed(() => this.view()?.container ?? null);
  /** Fetched once per template, not on every reload of the view; '' when it cannot be read. */
  protected readonly templateName = toSignal(
    toObservable(computed(() => this.container()?.templateId ?? null)).pipe(
      switchMap((templateId) =>
        templateId
          ? this.admin.template(templateId).pipe(
              map((t) => t.name),
              catchError(() => of('')),
            )
          : of(null),
      ),
    ),
    { initialValue: null },
  );
  protected readonly activeBranch = computed(() => {
    const v = this.view();
    return v?.branches.find((b) => b.id === v.container.activeBranchId) ?? null;
  });
  protected readonly me = computed(() => this.auth.user()?.id ?? null);
  protected readonly isOwner = computed(() => this.container()?.access === 'owner');
  protected readonly locked = computed(() => !!this.container()?.lockedBy);
  protected readonly lockedByOther = computed(
    () => this.locked() && this.container()?.lockedBy?.id !== this.me(),
  );
  protected readonly serving = computed(() => this.container()?.serving === 'running');
  protected readonly canOperate = computed(() => this.isOwner() && !this.lockedByOther());
  protected readonly ownerNames = computed(
    () =>
      this.container()
        ?.owners.map((o) => o.username)
        .join(', ') ?? '',
  );
  protected readonly statusClass = statusClass;
  protected readonly servingLabel = servingLabel;

  constructor() {
    toObservable(this.id)
      .pipe(
        switchMap((id) =>
          merge(this.reloads, this.live.changes(id)).pipe(
            debounceTime(200),
            startWith(null),
            switchMap(() => this.fetch(id)),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((view) => this.apply(view));
  }

  reload(): void {
    this.reloads.next();
  }

  private fetch(id: string): Observable<ContainerView> {
    return this.api.get(id).pipe(
      switchMap((container) =>
        (container.branches ? of(container.branches) : this.api.branches(id)).pipe(
          switchMap((branches) =>
            forkJoin({
              timelines: branches.length
                ? forkJoin(branches.map((b) => this.api.timeline(b.id)))
                : of([]),
              bookmarks: this.bookmarksApi
                .list({ scope: 'all' })
                .pipe(catchError(() => of<Bookmark[]>([]))),
            }).pipe(
              map(({ timelines, bookmarks }) => ({
                container,
                branches,
                points: new Map(branches.map((b, i) => [b.id, timelines[i] ?? []])),
                bookmarks,
              })),
            ),
          ),
        ),
      ),
      catchError((e: unknown) => {
        this.error.set(`Could not load this container: ${errorMessage(e)}`);
        return EMPTY;
      }),
    );
  }

  private apply(view: ContainerView): void {
    this.error.set(null);
    this.view.set(view);
    this.selection.set(refreshSelection(this.selection(), view));
  }

  // ---- container-level actions (toolbar) ----

  bookmark(): void {
    const branch = this.activeBranch();
    if (!branch) return;
    this.dialog
      .open<BookmarkDialogComponent, BookmarkDialogData, BookmarkFields>(BookmarkDialogComponent, {
        data: { branchName: branch.name },
      })
      .afterClosed()
      .subscribe((fields) => {
        if (fields)
          void this.run(
            'Bookmark',
            this.bookmarksApi.create(branch.id, fields),
            `Bookmark “${fields.name}” created`,
          );
      });
  }

  reset(): void {
    const branch = this.activeBranch();
    if (!branch) return;
    this.confirm(
      `Reset ${branch.name}?`,
      'Every change made since the last timeline point is thrown away. Undo brings it back.',
      'Reset',
      () =>
        this.run('Reset', this.api.reset(branch.id), `${branch.name} was reset to its last point`),
    );
  }

  refresh(): void {
    this.confirm(
      'Refresh from the template?',
      'The active branch gets the template’s latest data. Bookmarks stay; a point is recorded first so Undo brings the current data back.',
      'Refresh',
      () =>
        this.run(
          'Refresh',
          this.api.operate(this.id(), 'refresh'),
          'Container refreshed with the latest data',
        ),
    );
  }

  undo(): void {
    void this.run('Undo', this.api.operate(this.id(), 'undo'), 'The last operation was undone');
  }

  toggleServing(): void {
    if (!this.serving()) {
      void this.run('Start', this.api.operate(this.id(), 'start'), 'Databases started');
      return;
    }
    // Stopping cuts every open connection, so it is confirmed like the other disruptive actions.
    this.confirm(
      'Stop the databases?',
      'Open connections are closed. The data stays; Start serves it again on the same ports.',
      'Stop',
      () =>
        this.run('Stop', this.api.operate(this.id(), 'stop'), 'Databases stopped; the data stays'),
    );
  }

  toggleLock(): void {
    const locking = !this.locked();
    void this.run(
      locking ? 'Lock' : 'Unlock',
      this.api.operate(this.id(), locking ? 'lock' : 'unlock'),
      locking ? 'Locked: only you can operate on this container' : 'Unlocked',
    );
  }

  deleteContainer(): void {
    const c = this.container();
    if (!c) return;
    this.confirm(
      `Delete ${c.name}?`,
      'Its databases, branches and timeline are deleted. Bookmarks others depend on keep the deletion waiting until they are gone.',
      'Delete',
      async () => {
        const outcome = await this.ops.run(
          'Delete container',
          this.api.delete(c.id),
          `Container ${c.name} deleted`,
        );
        if (outcome.ok) void this.router.navigate(['/containers']);
      },
    );
  }

  newBranch(): void {
    const s = this.selection();
    if (s?.kind === 'point') return this.branchFrom(s);
    const branch = this.activeBranch();
    const latest = branch
      ? this.view()?.points.get(branch.id)?.reduce(newest, undefined)
      : undefined;
    if (!branch || !latest) return;
    this.branchFrom({ kind: 'point', point: latest, branch });
  }

  manageOwners(): void {
    const c = this.container();
    if (!c) return;
    this.dialog
      .open<OwnersDialogComponent, OwnersDialogData, OwnersChange>(OwnersDialogComponent, {
        data: { containerName: c.name, owners: c.owners },
      })
      .afterClosed()
      .subscribe((change) => {
        if (!change) return;
        if ('add' in change) {
          void this.run(
            'Add owner',
            this.api.addOwner(c.id, change.add.id),
            `${change.add.username} now owns ${c.name} too`,
          );
        } else {
          void this.run(
            'Remove owner',
            this.api.removeOwner(c.id, change.remove.id),
            `${change.remove.username} no longer owns ${c.name}`,
          );
        }
      });
  }

  // ---- actions on the selected point, bookmark or branch ----

  onAction(action: SelectionAction): void {
    const s = this.selection();
    if (!s) return;
    if (s.kind === 'branch') {
      if (action === 'activate') void this.activate(s.branch);
      if (action === 'deleteBranch') this.deleteBranch(s.branch);
      return;
    }
    switch (action) {
      case 'restore':
        return this.restore(s);
      case 'branch':
        return this.branchFrom(s);
      case 'share':
        return s.bookmark && this.share(s.bookmark);
      case 'edit':
        return s.bookmark && this.edit(s.bookmark);
      case 'deleteBookmark':
        return s.bookmark && this.deleteBookmark(s.bookmark);
    }
  }

  private restore(s: Extract<TimelineSelection, { kind: 'point' }>): void {
    const target = s.bookmark
      ? `bookmark “${s.bookmark.name}”`
      : `${pointLabel(s.point).toLowerCase()} point of ${new Date(s.point.createdAt).toLocaleString()}`;
    this.confirm(
      `Restore ${s.branch.name}?`,
      `${s.branch.name} gets the data of ${target}. Its current data is recorded as a point first, so Undo brings it back.`,
      'Restore',
      () =>
        this.run(
          'Restore',
          this.api.restore(
            s.branch.id,
            s.bookmark ? { bookmarkId: s.bookmark.id } : { pointId: s.point.id },
          ),
          `${s.branch.name} restored to ${target}`,
        ),
    );
  }

  private branchFrom(s: Extract<TimelineSelection, { kind: 'point' }>): void {
    const from = s.bookmark
      ? `bookmark “${s.bookmark.name}”`
      : `the ${pointLabel(s.point).toLowerCase()} point on ${s.branch.name}`;
    this.dialog
      .open<NewBranchDialogComponent, NewBranchDialogData, NewBranchChoice>(
        NewBranchDialogComponent,
        {
          data: { from, suggestedName: s.bookmark ? branchNameFrom(s.bookmark.name) : '' },
        },
      )
      .afterClosed()
      .subscribe((choice) => {
        if (!choice) return;
        const from = s.bookmark ? { fromBookmarkId: s.bookmark.id } : { fromPointId: s.point.id };
        const body = { name: choice.name, ...from, ...choice.expiry };
        void this.run(
          'New branch',
          this.api.createBranch(this.id(), body),
          `Branch ${choice.name} created. Activate it to use its data.`,
        );
      });
  }

  private activate(branch: Branch): Promise<void> {
    return this.run(
      'Activate',
      this.api.activate(branch.id),
      `${branch.name} is active: the connection strings now serve its data`,
    );
  }

  private deleteBranch(branch: Branch): void {
    this.confirm(
      `Delete branch ${branch.name}?`,
      'Its timeline and data are deleted. Bookmarks on it must be deleted first.',
      'Delete',
      () =>
        this.run(
          'Delete branch',
          this.api.deleteBranch(branch.id),
          `Branch ${branch.name} deleted`,
        ),
    );
  }

  private share(bookmark: Bookmark): void {
    this.dialog
      .open<ShareDialogComponent, ShareDialogData, ShareChoice>(ShareDialogComponent, {
        data: { bookmark },
      })
      .afterClosed()
      .subscribe((choice) => {
        if (choice === 'private') {
          void this.run(
            'Stop sharing',
            this.bookmarksApi.unshare(bookmark.id),
            `Bookmark “${bookmark.name}” is no longer shared`,
          );
        } else if (choice) {
          void this.run(
            'Share',
            this.bookmarksApi.share(bookmark.id, choice),
            `Bookmark “${bookmark.name}” shared`,
          );
        }
      });
  }

  private edit(bookmark: Bookmark): void {
    this.dialog
      .open<BookmarkDialogComponent, BookmarkDialogData, BookmarkFields>(BookmarkDialogComponent, {
        data: { bookmark },
      })
      .afterClosed()
      .subscribe((fields) => {
        if (fields)
          void this.run(
            'Save bookmark',
            this.bookmarksApi.update(bookmark.id, fields),
            `Bookmark “${fields.name}” saved`,
          );
      });
  }

  private deleteBookmark(bookmark: Bookmark): void {
    this.confirm(
      `Delete bookmark “${bookmark.name}”?`,
      'Its protected data is released. Branches made from it keep their data.',
      'Delete',
      () =>
        this.run(
          'Delete bookmark',
          this.bookmarksApi.delete(bookmark.id),
          `Bookmark “${bookmark.name}” deleted`,
        ),
    );
  }

  private confirm(title: string, message: string, confirm: string, then: () => unknown): void {
    confirmAction(this.dialog, { title, message, confirm }).subscribe((yes) => {
      if (yes) void then();
    });
  }

  private async run(label: string, request: Observable<unknown>, success: string): Promise<void> {
    await this.ops.run(label, request, success);
    this.reload();
  }
}

function newest(latest: TimelinePoint | undefined, point: TimelinePoint): TimelinePoint {
  return !latest || Date.parse(point.createdAt) > Date.parse(latest.createdAt) ? point : latest;
}

/** Keeps the same point or branch selected across reloads, with its fresh data. */
function refreshSelection(
  selection: TimelineSelection | null,
  view: ContainerView,
): TimelineSelection | null {
  if (!selection) return null;
  const branch = view.branches.find((b) => b.id === selection.branch.id);
  if (!branch) return null;
  if (selection.kind === 'branch') return { kind: 'branch', branch };
  const point = view.points.get(branch.id)?.find((p) => p.id === selection.point.id);
  if (!point) return null;
  const bookmark = point.bookmarkId
    ? view.bookmarks.find((b) => b.id === point.bookmarkId)
    : undefined;
  return { kind: 'point', point, branch, bookmark };
}
