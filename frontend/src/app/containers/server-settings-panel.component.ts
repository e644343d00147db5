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
import { ActionButtonComponent } from '../shared/action-button.component';

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
  imports: [
    ActionButtonComponent,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
  ],
  templateUrl: './server-settings-panel.component.html',
  styleUrl: './server-settings-panel.component.scss',
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
