import { CdkVirtualScrollViewport, ScrollingModule } from '@angular/cdk/scrolling';
import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  input,
  model,
  viewChild,
} from '@angular/core';
import { Bookmark, Branch, TimelinePoint } from '../core/api/models';
import { expiryText } from '../shared/duration';
import { ExpiryPolicy } from '../shared/expiry-policy.service';
import { IconComponent } from '../shared/icon.component';
import { TimelineRow, layoutTimeline } from './timeline-layout';
import { TimelineSelection, selectionKey } from './timeline-selection';

/** Height of one timeline row in px; the virtual scroller relies on it being fixed. */
export const ROW_HEIGHT = 40;
/** Lanes are wide enough for their longest branch name, within these bounds (px). */
const LANE_WIDTH = { min: 112, max: 200, perChar: 7.5, padding: 40 };
/** The list grows with its rows up to this height, then scrolls. */
const MAX_VIEWPORT_HEIGHT = 560;

/**
 * The container's history: one lane per branch, one row per point (newest on top), bookmarks
 * as flags. Rows are virtualised, so thousands of points scroll smoothly.
 */
@Component({
  selector: 'bp-timeline',
  imports: [ScrollingModule, DatePipe, IconComponent],
  templateUrl: './timeline.component.html',
  styleUrl: './timeline.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TimelineComponent {
  readonly branches = input.required<readonly Branch[]>();
  readonly points = input.required<ReadonlyMap<string, readonly TimelinePoint[]>>();
  readonly bookmarks = input<readonly Bookmark[]>([]);
  readonly activeBranchId = input<string | null>(null);
  readonly selection = model<TimelineSelection | null>(null);

  protected readonly rowHeight = ROW_HEIGHT;
  /** Lane headers flag branches that expire within the policy's warning lead. */
  protected readonly policy = inject(ExpiryPolicy);
  protected readonly layout = computed(() =>
    layoutTimeline(this.branches(), this.points(), this.bookmarks(), this.activeBranchId()),
  );
  private readonly laneWidth = computed(() => {
    const longest = Math.max(0, ...this.branches().map((b) => b.name.length));
    const wanted = Math.ceil(longest * LANE_WIDTH.perChar + LANE_WIDTH.padding);
    return Math.min(LANE_WIDTH.max, Math.max(LANE_WIDTH.min, wanted));
  });
  protected readonly columns = computed(
    () => `150px repeat(${this.layout().lanes.length}, ${this.laneWidth()}px) minmax(220px, 1fr)`,
  );
  protected readonly viewportHeight = computed(() =>
    Math.min(MAX_VIEWPORT_HEIGHT, Math.max(3, this.layout().rows.length) * ROW_HEIGHT + 2),
  );
  protected readonly selectedKey = computed(() => selectionKey(this.selection()));

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly viewport = viewChild(CdkVirtualScrollViewport);

  /** Arrow keys, Home and End move between rows; rows outside the rendered window are scrolled in first. */
  protected onRowKey(event: KeyboardEvent, index: number): void {
    const last = this.layout().rows.length - 1;
    const targets: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: last,
    };
    const wanted = targets[event.key];
    if (wanted === undefined) return;
    event.preventDefault();
    const target = Math.max(0, Math.min(last, wanted));
    const row = () =>
      this.host.nativeElement.querySelector<HTMLElement>(`[data-index="${target}"]`);
    const rendered = row();
    if (rendered) {
      rendered.focus(); // focusing scrolls it into view
      return;
    }
    this.viewport()?.scrollToIndex(target);
    requestAnimationFrame(() => requestAnimationFrame(() => row()?.focus()));
  }

  protected selectBranch(branch: Branch): void {
    this.selection.set({ kind: 'branch', branch });
  }

  protected selectRow(row: TimelineRow): void {
    this.selection.set({
      kind: 'point',
      point: row.point,
      branch: row.branch,
      bookmark: row.bookmark,
    });
  }

  protected rowName(row: TimelineRow): string {
    const what = row.bookmark ? `Bookmark ${row.bookmark.name}` : row.label;
    return `${what} on ${row.branch.name}, ${new Date(row.point.createdAt).toLocaleString()}`;
  }

  protected expiry(branch: Branch): string {
    return expiryText(branch, this.policy.now());
  }

  protected trackRow(_index: number, row: TimelineRow): string {
    return row.point.id;
  }
}
