import { CdkVirtualScrollViewport, ScrollingModule } from '@angular/cdk/scrolling';
import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  afterRenderEffect,
  computed,
  inject,
  input,
  model,
  signal,
  viewChild,
} from '@angular/core';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Bookmark, Branch, TimelinePoint } from '../core/api/models';
import { expiryText } from '../shared/duration';
import { ExpiryPolicy } from '../shared/expiry-policy.service';
import { IconComponent } from '../shared/icon.component';
import { EVENT_MIN_WIDTH, TIME_WIDTH, timelineColumns } from './timeline-columns';
import { TimelineRow, layoutTimeline } from './timeline-layout';
import { TimelineSelection, selectionKey } from './timeline-selection';

/** Height of one timeline row in px; the virtual scroller relies on it being fixed. */
export const ROW_HEIGHT = 40;

/**
 * The container's history: one lane per branch, one row per point (newest on top), bookmarks
 * as flags. Rows are virtualised, so thousands of points scroll smoothly. Lanes share the width
 * left between TIME and EVENT; when they do not fit, they scroll sideways under those two.
 */
@Component({
  selector: 'bp-timeline',
  imports: [ScrollingModule, DatePipe, IconComponent, MatTooltipModule],
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
  /** Width inside the scrolling box, once measured. */
  private readonly available = signal<number | null>(null);
  protected readonly columns = computed(() =>
    timelineColumns(
      this.layout().lanes.map((lane) => lane.branch.name),
      this.available(),
    ),
  );
  protected readonly selectedKey = computed(() => selectionKey(this.selection()));

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  private readonly viewport = viewChild(CdkVirtualScrollViewport);
  private readonly activeLane = computed(() => this.layout().lanes.findIndex((l) => l.active));
  private readonly laneWidth = computed(() => this.columns().laneWidth);
  private readonly overflowing = computed(() => this.columns().overflowing);

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      const observer = this.observeSize();
      destroyRef.onDestroy(() => observer?.disconnect());
    });
    // Only when the active lane or the lane widths change, so a reload keeps where the user scrolled.
    afterRenderEffect(() =>
      this.revealLane(this.activeLane(), this.laneWidth(), this.overflowing()),
    );
  }

  /**
   * The lanes take their width from the scrolling box, and the virtual scroller renders rows
   * for its height, which grows with the rows up to a maximum.
   */
  private observeSize(): ResizeObserver | null {
    if (typeof ResizeObserver === 'undefined') return null; // e.g. jsdom
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      this.available.set(Math.floor(entry.contentRect.width));
      this.viewport()?.checkViewportSize();
    });
    observer.observe(this.scroller().nativeElement);
    return observer;
  }

  /** A lane header reached by the keyboard is not left under a pinned column. */
  protected onLaneFocus(index: number): void {
    const { laneWidth, overflowing } = this.columns();
    this.revealLane(index, laneWidth, overflowing);
  }

  /** Scrolls the lanes sideways so that lane `index` is between the pinned TIME and EVENT columns. */
  private revealLane(index: number, laneWidth: number, overflowing: boolean): void {
    if (!overflowing || index < 0) return;
    const scroller = this.scroller().nativeElement;
    const left = index * laneWidth; // from the lane area's start
    const shown = scroller.clientWidth - TIME_WIDTH - EVENT_MIN_WIDTH;
    if (left < scroller.scrollLeft) scroller.scrollLeft = left;
    else if (left + laneWidth > scroller.scrollLeft + shown)
      scroller.scrollLeft = left + laneWidth - shown;
  }

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
    if (!this.renderedRow(target)) this.viewport()?.scrollToIndex(target);
    this.focusRow(target);
  }

  /** Focusing scrolls the row into view; a row scrolled to is rendered a few frames later. */
  private focusRow(index: number, framesLeft = 30): void {
    const row = this.renderedRow(index);
    if (row) row.focus();
    else if (framesLeft > 0) requestAnimationFrame(() => this.focusRow(index, framesLeft - 1));
  }

  private renderedRow(index: number): HTMLElement | null {
    return this.host.nativeElement.querySelector<HTMLElement>(`[data-index="${index}"]`);
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

  /** The whole EVENT text, for the tooltip when the column cuts it short. */
  protected eventText(row: TimelineRow): string {
    const tags = row.bookmark?.tags.length ? ` (${row.bookmark.tags.join(', ')})` : '';
    return `${row.label}${tags} · ${row.branch.name}`;
  }

  /** The lane header's tooltip: the full branch name, its data's version, and its expiry when due soon. */
  protected laneTooltip(branch: Branch): string {
    const name = `${branch.name} · version ${branch.templateVersion}`;
    return this.policy.dueSoon(branch) ? `${name} — ${this.expiry(branch)}` : name;
  }

  protected expiry(branch: Branch): string {
    return expiryText(branch, this.policy.now());
  }

  protected trackRow(_index: number, row: TimelineRow): string {
    return row.point.id;
  }
}
