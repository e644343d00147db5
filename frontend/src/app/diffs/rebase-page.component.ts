import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { LoadingComponent } from '../shared/loading.component';
import { pollWhileRunning } from './poll-while-running';
import { RebasesApi, type Rebase } from './rebases.api';

/** A rebase: the new branch, the rows replayed per table, the conflicts and what was not replayed. */
@Component({
  selector: 'bp-rebase-page',
  imports: [LoadingComponent, RouterLink],
  template: `
    <h1>Rebase onto newest data</h1>
    @if (error(); as message) {
      <p class="bp-error" role="alert">{{ message }}</p>
    }
    @if (rebase(); as r) {
      @if (r.state === 'queued' || r.state === 'running') {
        <bp-loading [label]="'Replaying the branch’s changes… ' + r.progress + '%'" />
      } @else if (r.state !== 'succeeded') {
        <p class="bp-error" role="alert">The rebase {{ r.state }}: {{ r.error }}</p>
      } @else {
        <p>
          The branch’s changes since {{ r.baseVersion }} were replayed on a new branch of
          {{ r.targetVersion }}, which is now active; the old branch is unchanged.
        </p>
      }
      @if (r.state !== 'queued' && r.state !== 'running') {
        <p><a [routerLink]="['/containers', r.containerId]">Back to the container</a></p>
      }
      @if (r.tables.length > 0) {
        <h2>Rows</h2>
        <table aria-label="Rows replayed per table">
          <thead>
            <tr>
              <th>Table</th>
              <th>Inserted</th>
              <th>Updated</th>
              <th>Deleted</th>
              <th>Conflicts</th>
              <th>Refused</th>
            </tr>
          </thead>
          <tbody>
            @for (t of r.tables; track t.name) {
              <tr>
                <td>{{ t.name }}</td>
                <td>{{ t.inserted }}</td>
                <td>{{ t.updated }}</td>
                <td>{{ t.deleted }}</td>
                <td>{{ t.conflicts }}</td>
                <td>{{ t.failed }}</td>
              </tr>
            }
          </tbody>
        </table>
      }
      @if (r.schema.length > 0) {
        <h2>Schema changes applied</h2>
        @for (c of r.schema; track $index) {
          <div>
            {{ c.change }} {{ c.kind }} <code>{{ c.name }}</code>
          </div>
        }
      }
      @if (r.conflictCount > 0) {
        <h2>Conflicts ({{ r.conflictCount }}, not applied)</h2>
        <p class="bp-muted">
          Rows both the branch and the new version changed: the new version’s stay.
        </p>
        <table aria-label="Conflicts">
          <thead>
            <tr>
              <th>Table</th>
              <th>Key</th>
              <th>Branch</th>
              <th>New version</th>
            </tr>
          </thead>
          <tbody>
            @for (c of r.conflicts; track $index) {
              <tr>
                <td>{{ c.table }}</td>
                <td>
                  <code>{{ json(c.key) }}</code>
                </td>
                <td>
                  <code>{{ c.branch ? json(c.branch) : 'deleted' }}</code>
                </td>
                <td>
                  <code>{{ c.template ? json(c.template) : 'deleted' }}</code>
                </td>
              </tr>
            }
          </tbody>
        </table>
      }
      @if (r.skippedCount > 0) {
        <h2>Not replayed ({{ r.skippedCount }})</h2>
        <ul>
          @for (s of r.skipped; track $index) {
            <li>
              {{ s.kind }} <code>{{ s.name }}</code>: {{ s.reason }}
            </li>
          }
        </ul>
      }
    } @else if (!error()) {
      <bp-loading label="Loading the rebase…" />
    }
  `,
  styleUrl: './result-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RebasePageComponent {
  readonly id = input.required<string>();
  private readonly api = inject(RebasesApi);
  protected readonly rebase = signal<Rebase | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    pollWhileRunning(
      this.id,
      (id) => this.api.get(id),
      (message) => this.error.set(message),
    ).subscribe((rebase) => this.rebase.set(rebase));
  }

  protected json(value: unknown): string {
    return JSON.stringify(value);
  }
}
