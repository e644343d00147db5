import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { BookmarksApi } from '../core/api/bookmarks.api';
import { LoadingComponent } from '../shared/loading.component';
import { DiffsApi, type Diff, type TableDiff } from './diffs.api';

type Side = Diff['from'];
import { pollWhileRunning } from './poll-while-running';

/** A diff: a summary line per table that differs, each opening on its schema changes and changed rows. */
@Component({
  selector: 'bp-diff-page',
  imports: [LoadingComponent, RouterLink],
  template: `
    <h1>Compare</h1>
    @if (error(); as message) {
      <p class="bp-error" role="alert">{{ message }}</p>
    }
    @if (diff(); as d) {
      <p class="sides">
        From {{ sideLabel(d.from) }} to {{ sideLabel(d.to) }} ·
        <a [routerLink]="['/containers', d.to.containerId]">Back to the container</a>
      </p>
      @if (d.state === 'queued' || d.state === 'running') {
        <bp-loading [label]="'Comparing… ' + d.progress + '%'" />
      } @else if (d.state !== 'succeeded') {
        <p class="bp-error" role="alert">The comparison {{ d.state }}: {{ d.error }}</p>
      } @else if (d.tables.length === 0 && d.schema.length === 0) {
        <p>No differences ({{ d.unchangedTables }} tables compared).</p>
      } @else {
        <table class="summary">
          <thead>
            <tr>
              <th>Table</th>
              <th>Added</th>
              <th>Removed</th>
              <th>Changed</th>
              <th>Schema</th>
            </tr>
          </thead>
          <tbody>
            @for (t of d.tables; track t.name) {
              <tr>
                <td>
                  <button
                    type="button"
                    class="link"
                    [attr.aria-expanded]="open() === t.name"
                    (click)="toggle(t)"
                  >
                    {{ t.name }}
                  </button>
                  @if (t.matchedBy === 'hash') {
                    <span class="bp-muted">
                      (no primary key: a changed row counts as removed and added)</span
                    >
                  }
                </td>
                <td>{{ t.added }}</td>
                <td>{{ t.removed }}</td>
                <td>{{ t.changed }}</td>
                <td>{{ t.schema.length }}</td>
              </tr>
              @if (open() === t.name) {
                <tr class="detail">
                  <td colspan="5">
                    @for (c of t.schema; track $index) {
                      <div>
                        {{ c.change }} {{ c.kind }} <code>{{ c.name }}</code>
                        @if (c.to) {
                          <code>{{ c.to }}</code>
                        }
                      </div>
                    }
                    @for (r of t.changedRows; track $index) {
                      <div>
                        row <code>{{ json(r.key) }}</code>:
                        @for (c of r.columns; track c.name) {
                          <span
                            ><code>{{ c.name }}</code> {{ json(c.from) }} → {{ json(c.to) }};
                          </span>
                        }
                      </div>
                    }
                    @if (t.changed > t.changedRows.length) {
                      <div class="bp-muted">
                        and {{ t.changed - t.changedRows.length }} more changed rows
                      </div>
                    }
                  </td>
                </tr>
              }
            }
          </tbody>
        </table>
        @if (d.schema.length > 0) {
          <h2>Views and functions</h2>
          @for (c of d.schema; track $index) {
            <div>
              {{ c.change }} {{ c.kind }} <code>{{ c.name }}</code>
            </div>
          }
        }
        <p class="bp-muted">{{ d.unchangedTables }} tables unchanged.</p>
      }
    } @else if (!error()) {
      <bp-loading label="Loading the comparison…" />
    }
  `,
  styleUrl: './result-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DiffPageComponent {
  readonly id = input.required<string>();
  private readonly api = inject(DiffsApi);
  private readonly bookmarks = inject(BookmarksApi);
  protected readonly diff = signal<Diff | null>(null);
  /** Bookmark names of the two sides, by id, as they arrive. */
  private readonly names = signal<Record<string, string>>({});
  protected readonly error = signal<string | null>(null);
  protected readonly open = signal<string | null>(null);

  constructor() {
    pollWhileRunning(
      this.id,
      (id) => this.api.get(id),
      (message) => this.error.set(message),
    ).subscribe((diff) => {
      this.diff.set(diff);
      this.nameBookmarks(diff);
    });
  }

  protected sideLabel(side: Side): string {
    if (side.bookmarkId) return `bookmark “${this.names()[side.bookmarkId] ?? '…'}”`;
    return side.snapshot ? 'the branch’s data at the time' : 'a timeline point';
  }

  private nameBookmarks(diff: Diff): void {
    for (const id of [diff.from.bookmarkId, diff.to.bookmarkId]) {
      if (!id || id in this.names()) continue;
      this.names.update((names) => ({ ...names, [id]: '…' }));
      this.bookmarks.get(id).subscribe({
        next: (bookmark) => this.names.update((names) => ({ ...names, [id]: bookmark.name })),
        error: () => undefined,
      });
    }
  }

  protected toggle(table: TableDiff): void {
    this.open.set(this.open() === table.name ? null : table.name);
  }

  protected json(value: unknown): string {
    return JSON.stringify(value);
  }
}
