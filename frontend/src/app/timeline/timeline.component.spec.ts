import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Bookmark, TimelinePoint } from '../core/api/models';
import { aBookmark, aBranch } from '../testing/fixtures';
import { TimelineComponent } from './timeline.component';
import { TimelineSelection } from './timeline-selection';

const main = aBranch({ id: 'b-main', name: 'default', createdAt: '2026-01-01T00:00:00Z' });
const fix = aBranch({ id: 'b-fix', name: 'bug-4711', createdAt: '2026-01-02T00:00:00Z' });
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
  const points: TimelinePoint[] = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    type: i === 0 ? 'created' : 'snapshot',
    createdAt: new Date(start + i * 60_000).toISOString(),
  }));
  points.push({
    id: 'p-bm',
    type: 'bookmark',
    createdAt: new Date(start + count * 60_000).toISOString(),
    bookmarkId: 'bm1',
  });
  return new Map([
    ['b-main', points],
    ['b-fix', [{ id: 'p-fix', type: 'created', createdAt: '2026-01-02T00:00:00Z' }]],
  ]);
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

  it('says what to do when there are no points', async () => {
    await render(new Map(), []);
    expect(host.textContent).toContain('No points yet');
  });
});
