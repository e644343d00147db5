import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { LoadingComponent } from '../shared/loading.component';
import { DiffsApi, type Diff, type TableDiff } from './diffs.api';
import { pollWhileRunning } from './poll-while-running';

/** A diff: a summary line per table that differs, each opening on its schema changes and changed rows. */
@Component({
  selector: 'bp-diff-page',
  imports: [LoadingComponent],
  template: `
    <h1>Compare</h1>
    @if (error(); as message) {
      <p class="bp-error" role="alert">{{ message }}</p>
    }
    @if (diff(); as d) {
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
  protected readonly diff = signal<Diff | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly open = signal<string | null>(null);

  constructor() {
    pollWhileRunning(
      this.id,
      (id) => this.api.get(id),
      (message) => this.error.set(message),
    ).subscribe((diff) => this.diff.set(diff));
  }

  protected toggle(table: TableDiff): void {
    this.open.set(this.open() === table.name ? null : table.name);
  }

  protected json(value: unknown): string {
    return JSON.stringify(value);
  }
}
