import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  AbstractControl,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ExpiryApi, ExpiryKind } from '../core/api/expiry.api';
import { ExpirySettings } from '../core/api/models';
import { errorMessage } from '../core/api/error-message';
import { OperationsService } from '../core/jobs/operations.service';
import { durationError, durationValidator, parseDuration } from '../shared/duration';
import { ExpiryPolicy } from '../shared/expiry-policy.service';

const KINDS: { kind: ExpiryKind; title: string }[] = [
  { kind: 'container', title: 'Containers' },
  { kind: 'branch', title: 'Branches' },
  { kind: 'bookmark', title: 'Bookmarks' },
];

type RuleForm = FormGroup<{ default: FormControl<string>; max: FormControl<string> }>;

/** The expiry policy: per kind a default and a maximum, and how early owners are warned. */
@Component({
  selector: 'bp-expiry-admin',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <form class="bp-card" [formGroup]="form" (ngSubmit)="save()" aria-label="Expiry policy">
      <h2>Expiry</h2>
      <p class="bp-muted intro">
        Durations such as 30m, 2h, 7d or 2w; empty means none. The default applies when an owner
        gives no expiry; the maximum is the longest one a user may give (admins are exempt), and
        with a maximum users can neither clear an expiry nor protect.
      </p>
      @if (loadError(); as message) {
        <p class="error" role="alert">{{ message }}</p>
      }
      @for (k of kinds; track k.kind) {
        <fieldset [formGroup]="form.controls[k.kind]">
          <legend>{{ k.title }}</legend>
          <mat-form-field appearance="outline">
            <mat-label>Default</mat-label>
            <input
              matInput
              formControlName="default"
              autocomplete="off"
              placeholder="none"
              [attr.aria-label]="k.title + ': default'"
            />
            <mat-error>{{ error(form.controls[k.kind].controls.default) }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Maximum</mat-label>
            <input
              matInput
              formControlName="max"
              autocomplete="off"
              placeholder="none"
              [attr.aria-label]="k.title + ': maximum'"
            />
            <mat-error>{{ error(form.controls[k.kind].controls.max) }}</mat-error>
          </mat-form-field>
          @if (form.controls[k.kind].hasError('defaultOverMax')) {
            <p class="error" role="alert">The default must not be longer than the maximum.</p>
          }
        </fieldset>
      }
      <mat-form-field appearance="outline" class="lead">
        <mat-label>Warn owners before expiry</mat-label>
        <input matInput formControlName="warningLead" autocomplete="off" />
        <mat-hint>How long before expiry owners are warned, e.g. 1d</mat-hint>
        <mat-error>{{ error(form.controls.warningLead) }}</mat-error>
      </mat-form-field>
      <div>
        <button mat-flat-button type="submit" [disabled]="form.invalid || !loaded()">
          Save expiry policy
        </button>
      </div>
    </form>
  `,
  styles: `
    :host {
      display: block;
      padding-top: 16px;
      max-width: 720px;
    }
    .intro {
      margin: 0 0 16px;
      line-height: 1.5;
    }
    fieldset {
      display: grid;
      grid-template-columns: 1fr 1fr;
      gap: 0 16px;
      border: 0;
      padding: 0;
      margin: 0 0 4px;
    }
    legend {
      font-weight: 600;
      margin-bottom: 8px;
    }
    fieldset .error {
      grid-column: 1 / -1;
    }
    .error {
      color: var(--mat-sys-error);
      margin: 0 0 8px;
    }
    .lead {
      width: 100%;
      margin-bottom: 8px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ExpiryAdminComponent {
  private readonly api = inject(ExpiryApi);
  private readonly ops = inject(OperationsService);
  private readonly policy = inject(ExpiryPolicy);

  protected readonly kinds = KINDS;
  protected readonly loaded = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly form = new FormGroup({
    container: ruleForm(),
    branch: ruleForm(),
    bookmark: ruleForm(),
    warningLead: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, durationValidator()],
    }),
  });
  protected readonly error = durationError;

  constructor() {
    this.api.settings().subscribe({
      next: (settings) => {
        this.form.setValue(toForm(settings));
        this.loaded.set(true);
      },
      error: (e: unknown) =>
        this.loadError.set(`Could not load the expiry policy: ${errorMessage(e)}`),
    });
  }

  async save(): Promise<void> {
    if (this.form.invalid) return this.form.markAllAsTouched();
    const settings = fromForm(this.form.getRawValue());
    const outcome = await this.ops.run(
      'Save expiry policy',
      this.api.saveSettings(settings),
      'Expiry policy saved',
    );
    if (outcome.ok) this.policy.settings.set(settings);
  }
}

function ruleForm(): RuleForm {
  const duration = () =>
    new FormControl('', { nonNullable: true, validators: [durationValidator()] });
  return new FormGroup({ default: duration(), max: duration() }, { validators: defaultWithinMax });
}

function defaultWithinMax(group: AbstractControl): ValidationErrors | null {
  const { default: fallback, max } = (group as RuleForm).getRawValue();
  const defaultMs = parseDuration(fallback);
  const maxMs = parseDuration(max);
  return defaultMs !== null && maxMs !== null && defaultMs > maxMs
    ? { defaultOverMax: true }
    : null;
}

/** The form's value: durations as typed, '' for none. */
type FormValue = Record<ExpiryKind, { default: string; max: string }> & { warningLead: string };

function toForm(settings: ExpirySettings): FormValue {
  const rule = (kind: ExpiryKind) => ({
    default: settings[kind].default ?? '',
    max: settings[kind].max ?? '',
  });
  return {
    container: rule('container'),
    branch: rule('branch'),
    bookmark: rule('bookmark'),
    warningLead: settings.warningLead,
  };
}

function fromForm(value: FormValue): ExpirySettings {
  const rule = (kind: ExpiryKind) => ({
    default: value[kind].default.trim() || null,
    max: value[kind].max.trim() || null,
  });
  return {
    container: rule('container'),
    branch: rule('branch'),
    bookmark: rule('bookmark'),
    warningLead: value.warningLead.trim(),
  };
}
