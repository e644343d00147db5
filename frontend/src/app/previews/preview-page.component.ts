import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import { catchError, filter, of, switchMap, take, tap, timer } from 'rxjs';
import { errorMessage } from '../core/api/error-message';
import { ActionButtonComponent } from '../shared/action-button.component';
import { CopyButtonComponent } from '../shared/copy-button.component';
import { LoadingComponent } from '../shared/loading.component';
import { PreviewsApi, type Preview, type PreviewRows, type PreviewTable } from './previews.api';

const POLL_MS = 1500;

/**
 * A preview: its read-only connection string and expiry, and a table browser (tables with row
 * counts; a table's first rows). Polls while the preview is being made.
 */
@Component({
  selector: 'bp-preview-page',
  imports: [DatePipe, ActionButtonComponent, CopyButtonComponent, LoadingComponent],
  template: `
    <h1>Preview</h1>
    @if (error(); as message) {
      <p class="bp-error" role="alert">{{ message }}</p>
    }
    @if (preview(); as p) {
      @if (p.state === 'creating') {
        <bp-loading label="Making a read-only copy of the point…" />
      } @else if (p.state === 'failed') {
        <p class="bp-error" role="alert">The preview could not be made: {{ p.error }}</p>
      } @else {
        <p class="bp-muted">
          Read-only until {{ p.expiresAt | date: 'short' }}; nothing you do here changes a
          container.
        </p>
        @for (e of p.endpoints; track e.source) {
          <p class="endpoint">
            @if (p.endpoints.length > 1) {
              <span class="source">{{ e.source }}</span>
            }
            <code>{{ e.connectionString }}</code>
            <bp-copy-button [value]="e.connectionString" label="Copy connection string" />
          </p>
        }
        <div class="actions">
          <bp-action-button label="End preview" icon="delete" danger (pressed)="end(p)" />
        </div>
        <h2>Tables</h2>
        <table class="tables">
          <thead>
            <tr>
              <th>Table</th>
              <th>Rows</th>
            </tr>
          </thead>
          <tbody>
            @for (t of tables(); track t.name) {
              <tr [class.selected]="rows()?.name === t.name">
                <td>
                  <button type="button" class="link" (click)="open(p, t)">{{ t.name }}</button>
                </td>
                <td>{{ t.estimated ? '≈' : '' }}{{ t.rows }}</td>
              </tr>
            } @empty {
              <tr>
                <td colspan="2" class="bp-muted">No tables</td>
              </tr>
            }
          </tbody>
        </table>
        @if (rows(); as r) {
          <h2>{{ r.name }}</h2>
          <div class="rows">
            <table>
              <thead>
                <tr>
                  @for (c of r.columns; track $index) {
                    <th>{{ c }}</th>
                  }
                </tr>
              </thead>
              <tbody>
                @for (row of r.rows; track $index) {
                  <tr>
                    @for (v of row; track $index) {
                      <td>{{ show(v) }}</td>
                    }
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      }
    } @else if (!error()) {
      <bp-loading label="Loading the preview…" />
    }
  `,
  styles: `
    :host {
      display: block;
      padding: 24px;
    }
    .endpoint {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .source {
      font-weight: 500;
    }
    code {
      overflow-wrap: anywhere;
    }
    table {
      border-collapse: collapse;
    }
    th,
    td {
      text-align: left;
      padding: 4px 12px 4px 0;
      border-bottom: 1px solid var(--bp-border, #ddd);
    }
    .rows {
      overflow-x: auto;
    }
    tr.selected {
      background: var(--bp-selected, rgba(0, 0, 0, 0.05));
    }
    button.link {
      background: none;
      border: none;
      padding: 0;
      color: inherit;
      text-decoration: underline;
      cursor: pointer;
      font: inherit;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PreviewPageComponent {
  readonly id = input.required<string>();
  private readonly api = inject(PreviewsApi);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly preview = signal<Preview | null>(null);
  protected readonly tables = signal<PreviewTable[]>([]);
  protected readonly rows = signal<PreviewRows | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    toObservable(this.id)
      .pipe(
        switchMap((id) =>
          timer(0, POLL_MS).pipe(
            switchMap(() => this.api.get(id)),
            tap((p) => this.preview.set(p)),
            filter((p) => p.state !== 'creating'),
            take(1),
          ),
        ),
        filter((p) => p.state === 'ready'),
        switchMap((p) => this.api.tables(p.id)),
        catchError((e: unknown) => {
          this.error.set(errorMessage(e));
          return of([] as PreviewTable[]);
        }),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((tables) => this.tables.set(tables));
  }

  protected open(preview: Preview, table: PreviewTable): void {
    this.api.rows(preview.id, table.name).subscribe({
      next: (rows) => this.rows.set(rows),
      error: (e: unknown) => this.error.set(errorMessage(e)),
    });
  }

  protected end(preview: Preview): void {
    this.api.delete(preview.id).subscribe({
      next: () => void this.router.navigate(['/containers', preview.containerId]),
      error: (e: unknown) => this.error.set(errorMessage(e)),
    });
  }

  protected show(value: unknown): string {
    if (value === null) return 'NULL';
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}
