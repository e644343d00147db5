import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
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
import { AdminApi } from '../core/api/admin.api';
import { BookmarksApi } from '../core/api/bookmarks.api';
import { ContainersApi } from '../core/api/containers.api';
import { errorMessage } from '../core/api/error-message';
import { Bookmark, Branch, Container, ContainerHost, TimelinePoint } from '../core/api/models';
import { AuthService } from '../core/auth/auth.service';
import { BookmarkActions } from '../bookmarks/bookmark-actions.service';
import { ActionButtonComponent } from '../shared/action-button.component';
import { CopyButtonComponent } from '../shared/copy-button.component';
import { ENGINE_LABEL } from '../shared/engines';
import { ExpiryActionsComponent } from '../shared/expiry-actions.component';
import { ExpiryLabelComponent } from '../shared/expiry-label.component';
import { IconComponent } from '../shared/icon.component';
import { LoadingComponent } from '../shared/loading.component';
import { SelectionAction, SelectionPanelComponent } from '../timeline/selection-panel.component';
import { TimelineComponent } from '../timeline/timeline.component';
import { TimelineSelection } from '../timeline/timeline-selection';
import { BranchActions, PointSelection } from './branch-actions.service';
import { CaCertificateButtonComponent } from './ca-certificate-button.component';
import { ContainerActions } from './container-actions.service';
import { ContainerLiveService } from './container-live.service';
import { RotatePasswordButtonComponent } from './rotate-password-button.component';
import { SchedulePanelComponent } from './schedule-panel.component';
import { ServerSettingsPanelComponent } from './server-settings-panel.component';
import { ExpiryBannerComponent } from './expiry-banner.component';
import { isBusy, servingLabel, statusClass } from './container-status';
import { templateHosts } from './host-choices';

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
    ActionButtonComponent,
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
    SchedulePanelComponent,
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
  private readonly live = inject(ContainerLiveService);
  private readonly containerActions = inject(ContainerActions);
  private readonly branchActions = inject(BranchActions);
  private readonly bookmarkActions = inject(BookmarkActions);

  /** Route parameter `:id`. */
  readonly id = input.required<string>();

  protected readonly engineLabel = ENGINE_LABEL;
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
  /** The template's hosts, for a move (fetched once per template; none when unreadable). */
  private readonly templateHosts = toSignal(
    toObservable(computed(() => this.container()?.templateId ?? null)).pipe(
      switchMap((templateId) => templateHosts(this.api, templateId)),
    ),
    { initialValue: [] as ContainerHost[] },
  );
  /** Where it may move: its template's other hosts (Move is offered only when there is one). */
  protected readonly moveTargets = computed(() =>
    this.templateHosts().filter((host) => host.id !== this.container()?.host.id),
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
  /** While it is created, deleted or moved, operations would be refused: none is offered. */
  protected readonly busy = computed(() => isBusy(this.container()?.state));
  protected readonly canOperate = computed(
    () => this.isOwner() && !this.lockedByOther() && !this.busy(),
  );
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

  // ---- toolbar: each action is a service's; the page reloads once one ran ----

  bookmark(): void {
    const branch = this.activeBranch();
    if (branch) this.reloadAfter(this.bookmarkActions.create(branch));
  }

  reset(): void {
    const branch = this.activeBranch();
    if (branch) this.reloadAfter(this.branchActions.reset(branch));
  }

  refresh(): void {
    this.reloadAfter(this.containerActions.refresh(this.id()));
  }

  undo(): void {
    this.reloadAfter(this.containerActions.undo(this.id()));
  }

  toggleServing(): void {
    this.reloadAfter(
      this.serving()
        ? this.containerActions.stop(this.id())
        : this.containerActions.start(this.id()),
    );
  }

  toggleLock(): void {
    this.reloadAfter(this.containerActions.setLocked(this.id(), !this.locked()));
  }

  /** Leaves the page once the container is gone, so nothing reloads. */
  deleteContainer(): void {
    const c = this.container();
    if (c) void this.containerActions.delete(c);
  }

  /** From the selected point, or else the latest point of the active branch. */
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

  move(): void {
    const c = this.container();
    if (c) this.reloadAfter(this.containerActions.move(c, this.moveTargets()));
  }

  manageOwners(): void {
    const c = this.container();
    if (c) this.reloadAfter(this.containerActions.manageOwners(c));
  }

  // ---- actions on the selected point, bookmark or branch ----

  onAction(action: SelectionAction): void {
    const s = this.selection();
    if (!s) return;
    if (s.kind === 'branch') {
      if (action === 'activate') this.reloadAfter(this.branchActions.activate(s.branch));
      if (action === 'deleteBranch') this.reloadAfter(this.branchActions.delete(s.branch));
      return;
    }
    switch (action) {
      case 'restore':
        return this.reloadAfter(this.branchActions.restore(s));
      case 'branch':
        return this.branchFrom(s);
      case 'share':
        return s.bookmark && this.reloadAfter(this.bookmarkActions.share(s.bookmark));
      case 'edit':
        return s.bookmark && this.reloadAfter(this.bookmarkActions.edit(s.bookmark));
      case 'deleteBookmark':
        return s.bookmark && this.reloadAfter(this.bookmarkActions.delete(s.bookmark));
    }
  }

  private branchFrom(at: PointSelection): void {
    this.reloadAfter(this.branchActions.branchFrom(this.id(), at));
  }

  private reloadAfter(action: Promise<boolean>): void {
    void action.then((ran) => {
      if (ran) this.reload();
    });
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
