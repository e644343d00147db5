import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
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
import { startWith, tap } from 'rxjs';
import { errorMessage } from '../core/api/error-message';
import { CreatedWebhook, NotificationEvent, Webhook, WebhookDelivery } from '../core/api/models';
import { WebhooksApi } from '../core/api/webhooks.api';
import { AuthService } from '../core/auth/auth.service';
import { OperationsService } from '../core/jobs/operations.service';
import { ActionButtonComponent } from '../shared/action-button.component';
import { confirmAction } from '../shared/confirm-dialog.component';
import { CopyButtonComponent } from '../shared/copy-button.component';
import { EmptyStateComponent } from '../shared/empty-state.component';
import { httpUrl } from '../shared/http-url';
import { IconComponent } from '../shared/icon.component';
import { LoadingComponent } from '../shared/loading.component';
import { ADMIN_ONLY_EVENTS, EVENT_LABELS, NOTIFICATION_EVENTS } from './notification-events';

/** What each delivery outcome means, for the tooltip of its code. */
const OUTCOME_TEXT: Record<NonNullable<WebhookDelivery['outcome']>, string> = {
  ok: 'The receiver answered 2xx',
  'address-refused': 'Not sent: the address is not public and no admin allowed it',
  'dns-failed': 'The host name did not resolve',
  'connection-refused': 'Nothing listens at that address and port',
  'connection-failed': 'The connection broke off or the network was unreachable',
  timeout: 'No answer within 10 seconds',
  'tls-failed': 'The TLS handshake or the certificate check failed',
  'http-3xx': 'The receiver answered with a redirect, which is not followed',
  'http-4xx': 'The receiver refused the request (4xx)',
  'http-5xx': 'The receiver failed (5xx)',
};

interface Deliveries {
  webhookId: string;
  list: WebhookDelivery[] | null;
  error?: string;
}

/** My webhooks: what they send where, their recent deliveries; admins add admin-scope ones. */
@Component({
  selector: 'bp-notifications',
  imports: [
    ActionButtonComponent,
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    CopyButtonComponent,
    EmptyStateComponent,
    IconComponent,
    LoadingComponent,
  ],
  templateUrl: './notifications.component.html',
  styleUrl: './notifications.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotificationsComponent {
  private readonly api = inject(WebhooksApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);
  protected readonly auth = inject(AuthService);

  protected readonly labels = EVENT_LABELS;
  protected readonly webhooks = signal<Webhook[] | null>(null);
  protected readonly error = signal<string | null>(null);
  /** The webhook just created, whose secret is shown this once. */
  protected readonly created = signal<CreatedWebhook | null>(null);
  protected readonly deliveries = signal<Deliveries | null>(null);

  protected readonly form = new FormGroup({
    url: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, httpUrl],
    }),
    format: new FormControl<'json' | 'slack'>('json', { nonNullable: true }),
    admin: new FormControl(false, { nonNullable: true }),
    events: new FormControl<NotificationEvent[]>([], { nonNullable: true }),
  });
  private readonly adminScope = toSignal(
    this.form.controls.admin.valueChanges.pipe(startWith(this.form.controls.admin.value)),
    { requireSync: true },
  );
  /** Host events reach only admin-scope webhooks, so users are not offered them. */
  protected readonly events = computed(() =>
    this.adminScope()
      ? NOTIFICATION_EVENTS
      : NOTIFICATION_EVENTS.filter((e) => !ADMIN_ONLY_EVENTS.includes(e)),
  );
  private readonly chosenEvents = toSignal(this.form.controls.events.valueChanges, {
    initialValue: this.form.controls.events.value,
  });
  protected readonly anyEvent = computed(() =>
    this.chosenEvents().some((e) => this.events().includes(e)),
  );

  constructor() {
    this.load();
    this.form.controls.admin.valueChanges.pipe(takeUntilDestroyed()).subscribe((admin) => {
      if (!admin)
        this.form.controls.events.setValue(
          this.chosen().filter((e) => !ADMIN_ONLY_EVENTS.includes(e)),
        );
    });
  }

  protected chosen(): NotificationEvent[] {
    return this.form.controls.events.value;
  }

  protected toggleEvent(event: NotificationEvent, on: boolean): void {
    const others = this.chosen().filter((e) => e !== event);
    this.form.controls.events.setValue(on ? [...others, event] : others);
    this.form.controls.events.markAsTouched();
  }

  private load(): void {
    this.api.list().subscribe({
      next: (list) => {
        this.error.set(null);
        this.webhooks.set(list);
      },
      error: (e: unknown) => {
        this.error.set(`Could not load your webhooks: ${errorMessage(e)}`);
        this.webhooks.set([]);
      },
    });
  }

  /** `formDirective` too, so a reset also forgets the submit (no error on the empty form). */
  async create(formDirective: FormGroupDirective): Promise<void> {
    if (this.form.invalid || !this.anyEvent()) {
      this.form.markAllAsTouched();
      return;
    }
    const { url, format, admin, events } = this.form.getRawValue();
    const body = {
      url: url.trim(),
      format,
      events: this.events().filter((e) => events.includes(e)),
      scope: admin ? ('admin' as const) : ('user' as const),
    };
    let created: CreatedWebhook | undefined;
    const outcome = await this.ops.run(
      'Create webhook',
      this.api.create(body).pipe(tap((answer) => (created = answer))),
      `Webhook for ${body.url} created`,
    );
    if (outcome.ok && created) {
      this.created.set(created);
      formDirective.resetForm();
    }
    this.load();
  }

  delete(webhook: Webhook): void {
    confirmAction(this.dialog, {
      title: 'Delete this webhook?',
      message: `${webhook.url} gets no more notifications. Its delivery history is deleted too.`,
      confirm: 'Delete',
    }).subscribe(async (yes) => {
      if (!yes) return;
      const outcome = await this.ops.run(
        'Delete webhook',
        this.api.delete(webhook.id),
        `Webhook for ${webhook.url} deleted`,
      );
      if (outcome.ok) {
        if (this.deliveries()?.webhookId === webhook.id) this.deliveries.set(null);
        if (this.created()?.id === webhook.id) this.created.set(null);
      }
      this.load();
    });
  }

  protected outcomeText(outcome: WebhookDelivery['outcome']): string {
    return outcome ? OUTCOME_TEXT[outcome] : 'Not tried yet';
  }

  protected stateClass(state: WebhookDelivery['state']): string {
    return state === 'succeeded' ? 'ok' : state === 'failed' ? 'bad' : 'warn';
  }

  toggleDeliveries(webhook: Webhook): void {
    if (this.deliveries()?.webhookId === webhook.id) return this.deliveries.set(null);
    this.loadDeliveries(webhook.id);
  }

  protected loadDeliveries(webhookId: string): void {
    const shown = this.deliveries();
    // Keep the rows on screen while they refresh; another webhook's rows go at once.
    this.deliveries.set({ webhookId, list: shown?.webhookId === webhookId ? shown.list : null });
    this.api.deliveries(webhookId).subscribe({
      next: (list) => this.deliveries.set({ webhookId, list }),
      error: (e: unknown) =>
        this.deliveries.set({
          webhookId,
          list: [],
          error: `Could not load its deliveries: ${errorMessage(e)}`,
        }),
    });
  }
}
