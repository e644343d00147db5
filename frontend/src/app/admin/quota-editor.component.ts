import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Observable, map } from 'rxjs';
import { errorMessage } from '../core/api/error-message';
import {
  QUOTA_KINDS,
  QUOTA_LABELS,
  QuotaKind,
  QuotaLimits,
  QuotasApi,
} from '../core/api/quotas.api';
import { OperationsService } from '../core/jobs/operations.service';

type LimitsForm = FormGroup<Record<QuotaKind, FormControl<string>>>;

/**
 * Edits quotas: without `userId` the default for everyone (empty: no limit), with one that
 * user's overrides (empty: the default applies, shown as the placeholder).
 */
@Component({
  selector: 'bp-quota-editor',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './quota-editor.component.html',
  styleUrl: './quota-editor.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class QuotaEditorComponent implements OnInit {
  private readonly api = inject(QuotasApi);
  private readonly ops = inject(OperationsService);

  readonly userId = input<string | null>(null);
  readonly username = input<string | null>(null);

  protected readonly kinds = QUOTA_KINDS.map((kind) => ({ kind, label: QUOTA_LABELS[kind] }));
  protected readonly loaded = signal(false);
  protected readonly loadError = signal<string | null>(null);
  /** What applies when a field is left empty. */
  protected readonly fallback = signal<QuotaLimits | null>(null);
  protected readonly title = computed(() =>
    this.userId() ? `Quotas of ${this.username() ?? 'this user'}` : 'Default quotas',
  );
  protected readonly form: LimitsForm = new FormGroup({
    containers: limitControl(),
    runningServers: limitControl(),
    branchesPerContainer: limitControl(),
    bookmarks: limitControl(),
  });

  ngOnInit(): void {
    const userId = this.userId();
    const loaded: Observable<{ limits: QuotaLimits; fallback: QuotaLimits | null }> = userId
      ? this.api.ofUser(userId).pipe(map((q) => ({ limits: q.overrides, fallback: q.defaults })))
      : this.api.defaults().pipe(map((limits) => ({ limits, fallback: null })));
    loaded.subscribe({
      next: ({ limits, fallback }) => {
        this.form.setValue(toForm(limits));
        this.fallback.set(fallback);
        this.loaded.set(true);
      },
      error: (e: unknown) => this.loadError.set(`Could not load the quotas: ${errorMessage(e)}`),
    });
  }

  /** The placeholder of an empty field: what it means. */
  protected emptyMeans(kind: QuotaKind): string {
    const fallback = this.fallback();
    if (!fallback) return 'no limit';
    const value = fallback[kind];
    return value === null ? 'default: no limit' : `default: ${value}`;
  }

  async save(): Promise<void> {
    if (this.form.invalid) return this.form.markAllAsTouched();
    const limits = fromForm(this.form.getRawValue());
    const userId = this.userId();
    await (userId
      ? this.ops.run(
          'Save quotas',
          this.api.saveOfUser(userId, limits),
          `Quotas of ${this.username() ?? 'the user'} saved`,
        )
      : this.ops.run('Save default quotas', this.api.saveDefaults(limits), 'Default quotas saved'));
  }
}

function limitControl(): FormControl<string> {
  return new FormControl('', {
    nonNullable: true,
    validators: [Validators.pattern(/^\s*\d*\s*$/)],
  });
}

function toForm(limits: QuotaLimits): Record<QuotaKind, string> {
  const value = {} as Record<QuotaKind, string>;
  for (const kind of QUOTA_KINDS) value[kind] = limits[kind] === null ? '' : String(limits[kind]);
  return value;
}

function fromForm(value: Record<QuotaKind, string>): QuotaLimits {
  const limits = {} as QuotaLimits;
  for (const kind of QUOTA_KINDS)
    limits[kind] = value[kind].trim() === '' ? null : Number(value[kind].trim());
  return limits;
}
