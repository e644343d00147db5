import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatTooltip } from '@angular/material/tooltip';
import { By } from '@angular/platform-browser';
import { Bookmark, TimelinePoint } from '../core/api/models';
import { aBookmark, aBranch, aPoint } from '../testing/fixtures';
import { EVENT_MIN_WIDTH, LANE_WIDTH, TIME_WIDTH } from './timeline-columns';
import { TimelineComponent } from './timeline.component';
import { TimelineSelection } from './timeline-selection';

const main = aBranch({ id: 'b-main', name: 'default', createdAt: '2026-01-01T00:00:00Z' });
const fix = aBranch({
  id: 'b-fix',
  name: 'bug-4711',
  createdAt: '2026-01-02T00:00:00Z',
  templateVersion: 'v2',
});
const bookmark = aBookmark({
  id: 'bm1',
  name: 'after edge case data',
  tags: ['qa'],
  createdAt: '2026-01-01T00:30:00Z',
  pointId: 'p-bm',
});

/** `count` points a minute apart on the main branch, one of them a bookmark. */
function manyPoints(count: number): Map<string, TimelinePoint[]> {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const points: TimelinePoint[] = Array.from({ length: count }, (_, i) =>
    aPoint({
      id: `p${i}`,
      type: i === 0 ? 'created' : 'snapshot',
      createdAt: new Date(start + i * 60_000).toISOString(),
    }),
  );
  points.push(
    aPoint({
      id: 'p-bm',
      type: 'bookmark',
      createdAt: new Date(start + count * 60_000).toISOString(),
      bookmarkId: 'bm1',
    }),
  );
  return new Map([
    ['b-main', points],
    ['b-fix', [aPoint({ id: 'p-fix', type: 'created', createdAt: '2026-01-02T00:00:00Z' })]],
  ]);
}

/** `count` branches after `main`, one a day, the last one with a long name. */
function branches(count: number) {
  return [
    main,
    ...Array.from({ length: count - 1 }, (_, i) =>
      aBranch({
        id: i === count - 2 ? 'b-fix' : `b-${i}`,
        name: i === count - 2 ? 'perf-partitioned-orders-experiment' : `perf-${i}`,
        createdAt: `2026-01-${String(i + 2).padStart(2, '0')}T00:00:00Z`,
      }),
    ),
  ];
}

/** Reports `width` as the inner width of the timeline, as the browser's ResizeObserver would. */
function measureWidth(width: number): void {
  vi.stubGlobal(
    'ResizeObserver',
    class {
      constructor(private readonly callback: (entries: unknown[]) => void) {}
      observe(target: Element) {
        this.callback([{ target, contentRect: { width } }]);
      }
      disconnect() {}
    },
  );
}

describe('TimelineComponent', () => {
  let fixture: ComponentFixture<TimelineComponent>;
  let host: HTMLElement;

  async function render(
    points: Map<string, TimelinePoint[]>,
    bookmarks: Bookmark[] = [bookmark],
    branches = [main, fix],
  ) {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    fixture = TestBed.createComponent(TimelineComponent);
    TestBed.inject(HttpTestingController)
      .expectOne('/api/v1/settings/expiry')
      .flush({
        container: { default: null, max: null },
        branch: { default: null, max: null },
        bookmark: { default: null, max: null },
        warningLead: '1d',
      });
    fixture.componentRef.setInput('branches', branches);
    fixture.componentRef.setInput('points', points);
    fixture.componentRef.setInput('bookmarks', bookmarks);
    fixture.componentRef.setInput('activeBranchId', 'b-fix');
    // The virtual scroller measures its viewport and renders its window over a few ticks.
    for (let i = 0; i < 3; i++) {
      fixture.detectChanges();
      await fixture.whenStable();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    host = fixture.nativeElement as HTMLElement;
  }

  it('shows one lane per branch and marks the active one', async () => {
    await render(manyPoints(3));
    const heads = [...host.querySelectorAll('.lane-head')].map((el) =>
      el.getAttribute('aria-label'),
    );
    expect(heads).toEqual(['Branch default', 'Branch bug-4711 (active)']);
    expect(host.querySelector('.lane-head.active .active-badge')?.textContent).toContain('active');
  });

  it('flags a branch that expires within the warning lead in its lane header', async () => {
    const soon = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await render(
      manyPoints(3),
      [bookmark],
      [
        { ...main, expiresAt: later },
        { ...fix, expiresAt: soon },
      ],
    );
    const heads = host.querySelectorAll('.lane-head');
    expect(heads[0]?.querySelector('.expiry-badge')).toBeNull();
    expect(heads[1]?.querySelector('.expiry-badge')?.textContent).toContain('expires in 2 h');
    expect(heads[1]?.getAttribute('aria-label')).toBe('Branch bug-4711 (active), expires in 2 h');
    const tooltip = fixture.debugElement
      .queryAll(By.css('.lane-head'))[1]
      ?.injector.get(MatTooltip);
    expect(tooltip?.message).toBe('bug-4711 · version v2 — expires in 2 h');
  });

  it('renders only a window of the rows when there are thousands of points', async () => {
    await render(manyPoints(5000));
    const rows = host.querySelectorAll('.row');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(200);
  });

  it('puts the newest point on top and shows bookmarks as named flags', async () => {
    await render(manyPoints(20));
    const [first, second] = [...host.querySelectorAll('.row')];
    expect(first?.getAttribute('aria-label')).toMatch(/^Created on bug-4711/);
    expect(second?.getAttribute('aria-label')).toMatch(/^Bookmark after edge case data on default/);
    expect(second?.querySelector('.flag')).not.toBeNull();
    expect(second?.textContent).toContain('qa');
  });

  it('selects a point, with its bookmark, when its row is clicked', async () => {
    await render(manyPoints(5));
    const picked: (TimelineSelection | null)[] = [];
    fixture.componentInstance.selection.subscribe((s) => picked.push(s));
    (host.querySelectorAll('.row')[1] as HTMLButtonElement).click();
    fixture.detectChanges();
    const selection = picked.at(-1);
    expect(selection?.kind).toBe('point');
    expect(selection?.kind === 'point' && selection.bookmark?.id).toBe('bm1');
    expect(host.querySelector('.row.selected')).not.toBeNull();
  });

  it('selects a branch when its lane header is clicked', async () => {
    await render(manyPoints(2));
    (host.querySelectorAll('.lane-head')[0] as HTMLButtonElement).click();
    fixture.detectChanges();
    const selection = fixture.componentInstance.selection();
    expect(selection).toEqual({ kind: 'branch', branch: main });
  });

  it('moves between rows with the arrow keys', async () => {
    await render(manyPoints(10));
    const rows = host.querySelectorAll<HTMLButtonElement>('.row');
    rows[0]?.focus();
    rows[0]?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(document.activeElement).toBe(rows[1]);
    rows[1]?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    expect(document.activeElement).toBe(rows[0]);
  });

  describe('layout', () => {
    afterEach(() => vi.unstubAllGlobals());

    const columns = (selector: string) =>
      (host.querySelector(selector) as HTMLElement).style.gridTemplateColumns;
    const laneWidth = () => Number(/repeat\(\d+, (\d+)px\)/.exec(columns('.head'))?.[1]);

    it('narrows the lanes as branches are added, in header and rows alike', async () => {
      measureWidth(865);
      await render(manyPoints(3), [bookmark], branches(3));
      const few = laneWidth();
      expect(columns('.row')).toBe(columns('.head'));
      TestBed.resetTestingModule();

      measureWidth(865);
      await render(manyPoints(3), [bookmark], branches(6));
      expect(laneWidth()).toBeLessThan(few);
      expect(columns('.head')).toBe(
        `${TIME_WIDTH}px repeat(6, ${laneWidth()}px) minmax(${EVENT_MIN_WIDTH}px, 1fr)`,
      );
      expect(host.querySelector('.timeline.overflowing')).toBeNull();
    });

    it('scrolls the lanes sideways when even their narrowest does not fit', async () => {
      measureWidth(865);
      await render(manyPoints(3), [bookmark], branches(10));
      expect(laneWidth()).toBe(LANE_WIDTH.min);
      expect(host.querySelector('.timeline.overflowing')).not.toBeNull();
      const minWidth = `${TIME_WIDTH + 10 * LANE_WIDTH.min + EVENT_MIN_WIDTH}px`;
      expect((host.querySelector('.head') as HTMLElement).style.minWidth).toBe(minWidth);
      expect((host.querySelector('.row') as HTMLElement).style.minWidth).toBe(minWidth);
    });

    it('gives every lane header the full branch name and its version as its tooltip, keeping its name and badge', async () => {
      measureWidth(865);
      await render(manyPoints(3), [bookmark], branches(10));
      const head = fixture.debugElement.queryAll(By.css('.lane-head')).at(-1)!;
      expect(head.injector.get(MatTooltip).message).toBe(
        'perf-partitioned-orders-experiment · version v1',
      );
      expect(head.attributes['aria-label']).toBe(
        'Branch perf-partitioned-orders-experiment (active)',
      );
      expect(head.query(By.css('.active-badge'))).not.toBeNull();
      expect(head.query(By.css('bp-icon'))).toBeNull(); // narrow lanes leave the icon out
    });

    it('carries the whole EVENT text as the title of its cell', async () => {
      await render(manyPoints(20));
      const [created, flagged] = [...host.querySelectorAll('.row .what')];
      expect(created?.getAttribute('title')).toBe('Created · bug-4711');
      expect(flagged?.getAttribute('title')).toBe('after edge case data (qa) · default');
    });
  });

  it('says what to do when there are no points', async () => {
    await render(new Map(), []);
    expect(host.textContent).toContain('No points yet');
  });
});
