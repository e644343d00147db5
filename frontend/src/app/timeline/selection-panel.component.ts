import { DatePipe, NgTemplateOutlet } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { Bookmark } from '../core/api/models';
import { Router, RouterLink } from '@angular/router';
import { errorMessage } from '../core/api/error-message';
import { CompareSelection } from '../diffs/compare-selection.service';
import { DiffsApi } from '../diffs/diffs.api';
import { RebasesApi } from '../diffs/rebases.api';
import { PreviewsApi } from '../previews/previews.api';
import { bookmarkLink } from '../bookmarks/bookmark-link';
import { visibilityLabel } from '../bookmarks/bookmark-visibility';
import { ActionButtonComponent } from '../shared/action-button.component';
import { BugRefComponent } from '../shared/bug-ref.component';
import { CopyButtonComponent } from '../shared/copy-button.component';
import { ExpiryActionsComponent } from '../shared/expiry-actions.component';
import { ExpiryLabelComponent } from '../shared/expiry-label.component';
import { IconComponent } from '../shared/icon.component';
import { pointLabel } from './timeline-layout';
import { TimelineSelection } from './timeline-selection';

export type SelectionAction =
  'restore' | 'branch' | 'share' | 'edit' | 'deleteBookmark' | 'activate' | 'deleteBranch';

/** Details of what is selected on the timeline and the actions that apply to it. */
@Component({
  selector: 'bp-selection-panel',
  imports: [
    DatePipe,
    NgTemplateOutlet,
    RouterLink,
    ActionButtonComponent,
    IconComponent,
    BugRefComponent,
    CopyButtonComponent,
    ExpiryActionsComponent,
    ExpiryLabelComponent,
  ],
  templateUrl: './selection-panel.component.html',
  styleUrl: './selection-panel.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SelectionPanelComponent {
  readonly selection = input<TimelineSelection | null>(null);
  readonly activeBranchId = input<string | null>(null);
  /** False when the container is locked by someone else or belongs to another user. */
  readonly canOperate = input(true);
  /** Bookmarks that may be the origin of the selected branch. */
  readonly bookmarks = input<readonly Bookmark[]>([]);
  readonly action = output<SelectionAction>();
  /** The selected branch's or bookmark's expiry or protection was changed (already saved). */
  readonly expiryChanged = output<void>();
  /** The bookmark's shareable page, for "Copy link". */
  protected readonly link = bookmarkLink;
  protected readonly visibility = visibilityLabel;

  protected readonly title = computed(() => {
    const s = this.selection();
    if (!s) return '';
    if (s.kind === 'branch') return s.branch.name;
    return s.bookmark ? s.bookmark.name : pointLabel(s.point);
  });
  protected readonly origin = computed(() => {
    const s = this.selection();
    const id = s?.kind === 'branch' ? s.branch.originBookmarkId : null;
    return id ? this.bookmarks().find((b) => b.id === id) : undefined;
  });
  protected readonly isActiveBranch = computed(
    () => this.selection()?.branch.id === this.activeBranchId(),
  );
  private readonly previews = inject(PreviewsApi);
  private readonly diffs = inject(DiffsApi);
  private readonly rebases = inject(RebasesApi);
  private readonly router = inject(Router);
  protected readonly compare = inject(CompareSelection);
  /** Why the last preview or comparison could not start. */
  protected readonly lookError = signal<string | null>(null);
  /** The selected point's id for previews and diffs: its bookmark's when it has one. */
  protected readonly lookTarget = computed(() => {
    const s = this.selection();
    if (s?.kind !== 'point') return null;
    return s.bookmark ? { bookmarkId: s.bookmark.id } : { pointId: s.point.id };
  });

  /** Serves the selected point read-only for a while and opens its table browser. */
  protected preview(): void {
    const target = this.lookTarget();
    if (!target) return;
    this.lookError.set(null);
    this.previews.create(target).subscribe({
      next: (accepted) => void this.router.navigate(['/previews', accepted.id]),
      error: (e: unknown) => this.lookError.set(errorMessage(e)),
    });
  }

  /** First pick: remember this point or branch; second: compare the remembered one with this one. */
  protected compareHere(): void {
    const s = this.selection();
    if (!s) return;
    // A branch compares as its head: its data now (the diff takes a point of it first).
    const id = s.kind === 'branch' ? s.branch.id : (s.bookmark?.id ?? s.point.id);
    const from = this.compare.from();
    if (!from || from.id === id) {
      this.compare.from.set({ id, label: this.title() });
      return;
    }
    this.lookError.set(null);
    this.diffs.create(from.id, id).subscribe({
      next: (accepted) => {
        this.compare.from.set(null);
        void this.router.navigate(['/diffs', accepted.id]);
      },
      error: (e: unknown) => this.lookError.set(errorMessage(e)),
    });
  }

  /** Carries the selected branch's changes onto a new branch of the newest version; opens the result. */
  protected rebase(): void {
    const s = this.selection();
    if (s?.kind !== 'branch') return;
    this.lookError.set(null);
    this.rebases.create(s.branch.id).subscribe({
      next: (accepted) => void this.router.navigate(['/rebases', accepted.id]),
      error: (e: unknown) => this.lookError.set(errorMessage(e)),
    });
  }

  protected readonly ownsBookmark = computed(() => {
    const s = this.selection();
    return s?.kind === 'point' && !!s.bookmark?.mine;
  });
}
