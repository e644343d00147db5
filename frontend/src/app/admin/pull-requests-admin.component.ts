import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import {
  FormControl,
  FormGroup,
  FormGroupDirective,
  ReactiveFormsModule,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { AdminApi } from '../core/api/admin.api';
import { BookmarksApi } from '../core/api/bookmarks.api';
import { errorMessage } from '../core/api/error-message';
import { Bookmark, Template } from '../core/api/models';
import {
  CreatedPullRequestConfig,
  PullRequestConfig,
  PullRequestEvent,
  PullRequestsApi,
} from '../core/api/pull-requests.api';
import { ActionButtonComponent } from '../shared/action-button.component';
import { confirmAction } from '../shared/confirm-dialog.component';
import { EmptyStateComponent } from '../shared/empty-state.component';

/**
 * A template's pull-request databases: the configurations (forge, repository, label, bookmark,
 * what to make), the inbound URL and secret shown once after creation, and each one's recent
 * events with their outcome.
 */
@Component({
  selector: 'bp-pull-requests-admin',
  imports: [
    ActionButtonComponent,
    DatePipe,
    EmptyStateComponent,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
  ],
  templateUrl: './pull-requests-admin.component.html',
  styleUrls: ['./admin.scss'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PullRequestsAdminComponent {
  private readonly api = inject(PullRequestsApi);
  private readonly admin = inject(AdminApi);
  private readonly bookmarksApi = inject(BookmarksApi);
  private readonly dialog = inject(MatDialog);

  protected readonly templates = signal<Template[]>([]);
  protected readonly bookmarks = signal<Bookmark[]>([]);
  protected readonly configs = signal<PullRequestConfig[] | null>(null);
  protected readonly events = signal<Record<string, PullRequestEvent[]>>({});
  protected readonly created = signal<CreatedPullRequestConfig | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly template = new FormControl<string>('', { nonNullable: true });
  protected readonly form = new FormGroup({
    forge: new FormControl<'github' | 'gitlab'>('github', { nonNullable: true }),
    repository: new FormControl('', {
      nonNullable: true,
      validators: [
        Validators.required,
        Validators.pattern(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/),
      ],
    }),
    apiUrl: new FormControl('', { nonNullable: true }),
    apiToken: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    bookmarkId: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    label: new FormControl('', { nonNullable: true }),
    expiresIn: new FormControl('7d', { nonNullable: true }),
    resetOnPush: new FormControl(true, { nonNullable: true }),
    slackUrl: new FormControl('', { nonNullable: true }),
  });

  constructor() {
    this.admin.templates().subscribe((list) => this.templates.set(list));
    this.template.valueChanges.subscribe(() => this.load());
  }

  private load(): void {
    const templateId = this.template.value;
    this.created.set(null);
    this.events.set({});
    if (!templateId) return;
    this.api.list(templateId).subscribe({
      next: (list) => {
        this.error.set(null);
        this.configs.set(list);
      },
      error: (e: unknown) => {
        this.error.set(errorMessage(e));
        this.configs.set([]);
      },
    });
    this.bookmarksApi
      .list({ scope: 'all' })
      .subscribe((list) => this.bookmarks.set(list.filter((b) => b.templateId === templateId)));
  }

  private readonly formDirective = viewChild.required(FormGroupDirective);

  create(): void {
    if (this.form.invalid) return this.form.markAllAsTouched();
    const v = this.form.getRawValue();
    const optional = (text: string) => (text.trim() ? text.trim() : undefined);
    this.api
      .create(this.template.value, {
        forge: v.forge,
        repository: v.repository.trim(),
        apiToken: v.apiToken,
        bookmarkId: v.bookmarkId,
        resetOnPush: v.resetOnPush,
        apiUrl: optional(v.apiUrl),
        label: optional(v.label),
        expiresIn: optional(v.expiresIn),
        slackUrl: optional(v.slackUrl),
      })
      .subscribe({
        next: (config) => {
          this.error.set(null);
          // The next repository starts from these settings, without the token, and not as a
          // submitted form whose empty token would show as an error at once.
          this.formDirective().resetForm({ ...this.form.getRawValue(), apiToken: '' });
          this.configs.update((list) => [...(list ?? []), config]);
          this.created.set(config);
        },
        error: (e: unknown) => this.error.set(errorMessage(e)),
      });
  }

  toggleReset(config: PullRequestConfig): void {
    this.api.update(config.id, { resetOnPush: !config.resetOnPush }).subscribe({
      next: (saved) =>
        this.configs.update((list) => list?.map((c) => (c.id === saved.id ? saved : c)) ?? null),
      error: (e: unknown) => this.error.set(errorMessage(e)),
    });
  }

  showEvents(config: PullRequestConfig): void {
    this.api.events(config.id).subscribe({
      next: (list) => this.events.update((all) => ({ ...all, [config.id]: list })),
      error: (e: unknown) => this.error.set(errorMessage(e)),
    });
  }

  remove(config: PullRequestConfig): void {
    confirmAction(this.dialog, {
      title: `Stop pull-request databases for ${config.repository}?`,
      message:
        'Webhooks from the forge are refused from now on; databases already made stay until they expire.',
      confirm: 'Delete',
    }).subscribe((yes) => {
      if (!yes) return;
      this.api.remove(config.id).subscribe({
        next: () => this.configs.update((list) => list?.filter((c) => c.id !== config.id) ?? null),
        error: (e: unknown) => this.error.set(errorMessage(e)),
      });
    });
  }

  /** The inbound URL as the forge must call it: absolute, on this server when it is relative. */
  protected absolute(url: string): string {
    return url.startsWith('/') ? `${location.origin}${url}` : url;
  }
}
