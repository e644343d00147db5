import { DatePipe, DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { tap } from 'rxjs';
import { AccountApi, ApiToken } from '../core/api/account.api';
import { AuthService } from '../core/auth/auth.service';
import { OperationsService } from '../core/jobs/operations.service';
import { confirmed } from '../shared/confirm-dialog.component';
import { CopyButtonComponent } from '../shared/copy-button.component';

/** The password policy the server holds every password to; checked there, hinted here. */
export const MIN_PASSWORD_LENGTH = 12;

/** The commands that install the CLI from the server at `origin` and sign in to it (docs/cli.md). */
export function cliInstructions(origin: string): string[] {
  return [
    `npm install -g ${origin}/api/v1/cli/branchpoint.tgz`,
    `branchpoint login --url ${origin} --username <you>`,
  ];
}

/** One's own account: change the password, manage personal API tokens (CI, the CLI). */
@Component({
  selector: 'bp-account',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    CopyButtonComponent,
  ],
  templateUrl: './account.component.html',
  styleUrl: '../admin/admin.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountComponent {
  private readonly api = inject(AccountApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);
  protected readonly auth = inject(AuthService);

  protected readonly minLength = MIN_PASSWORD_LENGTH;
  /** Installing the CLI this server serves (it speaks this server's API), then signing in to it. */
  protected readonly cliLines = cliInstructions(inject(DOCUMENT).location.origin);
  protected readonly tokens = signal<ApiToken[]>([]);
  /** A token just created: shown once, until the page is left. */
  protected readonly newToken = signal<string | null>(null);
  protected readonly passwordForm = new FormGroup({
    currentPassword: new FormControl('', { nonNullable: true, validators: Validators.required }),
    newPassword: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH)],
    }),
  });
  protected readonly tokenForm = new FormGroup({
    name: new FormControl('', { nonNullable: true, validators: Validators.required }),
    expiresInDays: new FormControl(90, {
      nonNullable: true,
      validators: [Validators.required, Validators.min(1), Validators.max(365)],
    }),
  });

  constructor() {
    this.load();
  }

  async changePassword(): Promise<void> {
    const { currentPassword, newPassword } = this.passwordForm.getRawValue();
    const outcome = await this.ops.run(
      'Change password',
      this.api.changePassword(currentPassword, newPassword),
      'Password changed; your other sessions were signed out',
    );
    if (outcome.ok) this.passwordForm.reset();
  }

  async createToken(): Promise<void> {
    const { name, expiresInDays } = this.tokenForm.getRawValue();
    let created: string | null = null;
    const outcome = await this.ops.run(
      'Create API token',
      this.api.createToken(name, expiresInDays).pipe(tap((answer) => (created = answer.token))),
      `API token "${name}" created`,
    );
    if (outcome.ok) {
      this.newToken.set(created);
      this.tokenForm.reset({ name: '', expiresInDays: 90 });
    }
    this.load();
  }

  async revoke(token: ApiToken): Promise<void> {
    const sure = await confirmed(this.dialog, {
      title: `Revoke "${token.name}"?`,
      message: 'Whatever uses this token (a pipeline, the CLI) stops working at once.',
      confirm: 'Revoke',
    });
    if (!sure) return;
    await this.ops.run('Revoke API token', this.api.revokeToken(token.id), 'Token revoked');
    this.load();
  }

  private load(): void {
    this.api.tokens().subscribe({
      next: (list) => this.tokens.set(list),
      error: () => this.tokens.set([]),
    });
  }
}
