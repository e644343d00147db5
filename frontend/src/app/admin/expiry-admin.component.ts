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
  templateUrl: './expiry-admin.component.html',
  styleUrl: './expiry-admin.component.scss',
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
