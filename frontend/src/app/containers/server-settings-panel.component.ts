import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { catchError, map, of, switchMap } from 'rxjs';
import { SERVER_SETTING_PATTERN } from '@branchpoint/contracts';
import { ContainersApi } from '../core/api/containers.api';
import { errorMessage } from '../core/api/error-message';
import { Container, ServerSettings } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';

type Loaded =
  { settings: ServerSettings } | { error: string } | { stopped: true } | { unavailable: true };

/** 409 (not running) and 502/503 (a server stopping or starting): a passing state, no error. */
const passing = (error: unknown) =>
  error instanceof HttpErrorResponse && [409, 502, 503].includes(error.status);

/**
 * The server parameters owners changed on the active branch: list, set, reset. Each change is an
 * operation that records a `settings` point, so Undo brings the previous values back; every
 * branch keeps its own.
 */
@Component({
  selector: 'bp-server-settings-panel',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <h2 id="settings-title">Server settings</h2>
    @let state = loaded();
    @if (!state) {
      <p class="bp-muted">Loading settings…</p>
    } @else if ('stopped' in state) {
      <p class="bp-muted">Start the databases to see or change their settings.</p>
    } @else if ('unavailable' in state) {
      <p class="bp-muted">
        The databases are stopping or starting; their settings show again when they run.
      </p>
    } @else if ('error' in state) {
      <p role="alert" class="error">{{ state.error }}</p>
    } @else {
      @if (entries().length === 0) {
        <p class="bp-muted">The active branch runs the clone defaults.</p>
      } @else {
        <ul class="settings" aria-labelledby="settings-title">
          @for (entry of entries(); track entry.name) {
            <li>
              <code>{{ entry.name }} = {{ entry.value }}</code>
              @if (entry.pending) {
                <span class="bp-chip">pending restart</span>
              }
              <button
                mat-button
                type="button"
                [disabled]="!canOperate()"
                (click)="apply(entry.name, null)"
                [attr.aria-label]="'Reset ' + entry.name"
              >
                Reset
              </button>
            </li>
          }
        </ul>
      }
      @if (state.settings.pendingRestart.length > 0) {
        <p class="bp-muted small">
          Waiting for a restart: {{ state.settings.pendingRestart.join(', ') }}. Stop and start the
          databases to apply.
        </p>
      }
      <form class="change" (ngSubmit)="submit()">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Parameter</mat-label>
          <input matInput name="name" [(ngModel)]="name" placeholder="work_mem" />
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>Value</mat-label>
          <input matInput name="value" [(ngModel)]="value" placeholder="64MB" />
        </mat-form-field>
        <button mat-stroked-button type="submit" [disabled]="!canOperate() || !valid()">Set</button>
      </form>
      @if (nameProblem(); as problem) {
        <p class="error small">{{ problem }}</p>
      }
      <p class="bp-muted small">
        Each branch keeps its own settings; Undo brings the previous ones back.
      </p>
    }
  `,
  styles: `
    h2 {
      margin-bottom: 8px;
    }
    .settings {
      list-style: none;
      margin: 0 0 8px;
      padding: 0;
      li {
        display: flex;
        align-items: center;
        gap: 8px;
      }
    }
    .change {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .small {
      margin: 6px 0 0;
      font-size: 12.5px;
    }
    .error {
      color: var(--mat-sys-error);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ServerSettingsPanelComponent {
  private readonly api = inject(ContainersApi);
  private readonly ops = inject(OperationsService);

  /** Settings are read again whenever the page reloads the container (e.g. after a change). */
  readonly container = input.required<Container>();
  readonly canOperate = input(false);

  protected readonly loaded = signal<Loaded | null>(null);
  protected readonly name = signal('');
  protected readonly value = signal('');
  protected readonly entries = computed(() => {
    const state = this.loaded();
    if (!state || !('settings' in state)) return [];
    const { settings, pendingRestart } = state.settings;
    return Object.entries(settings).map(([name, value]) => ({
      name,
      value,
      pending: pendingRestart.includes(name),
    }));
  });
  protected readonly nameProblem = computed(() => {
    const name = this.name().trim();
    return name && !SERVER_SETTING_PATTERN.test(name)
      ? 'A parameter name is lowercase letters, digits and “_” (an extension’s has one “.”).'
      : null;
  });
  protected readonly valid = computed(
    () => !!this.name().trim() && !this.nameProblem() && this.value() !== '',
  );

  constructor() {
    toObservable(this.container)
      .pipe(
        switchMap((c) =>
          c.serving !== 'running' || !c.activeBranchId
            ? of<Loaded>({ stopped: true })
            : this.api.settings(c.id).pipe(
                map((settings): Loaded => ({ settings })),
                catchError((e: unknown) =>
                  of<Loaded>(
                    passing(e)
                      ? { unavailable: true }
                      : { error: `Could not read the settings: ${errorMessage(e)}` },
                  ),
                ),
              ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((state) => this.loaded.set(state));
  }

  submit(): void {
    if (!this.valid()) return;
    void this.apply(this.name().trim(), this.value());
  }

  async apply(name: string, value: string | null): Promise<void> {
    const outcome = await this.ops.run(
      'Server setting',
      this.api.updateSettings(this.container().id, { [name]: value }),
      value === null ? `${name} reset to the clone default` : `${name} set to ${value}`,
    );
    if (outcome.ok && value !== null) {
      this.name.set('');
      this.value.set('');
    }
  }
}
