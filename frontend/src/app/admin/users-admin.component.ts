import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatMenuModule } from '@angular/material/menu';
import { MatSelectModule } from '@angular/material/select';
import { firstValueFrom } from 'rxjs';
import { MIN_PASSWORD_LENGTH } from '../account/account.component';
import { AdminApi } from '../core/api/admin.api';
import { Role, User } from '../core/api/models';
import { AuthService } from '../core/auth/auth.service';
import { OperationsService } from '../core/jobs/operations.service';
import { confirmed } from '../shared/confirm-dialog.component';
import { PasswordResetDialogComponent } from './password-reset-dialog.component';
import { openQuotaDialog } from './quota-dialog.component';
import {
  UserDeleteChoice,
  UserDeleteData,
  UserDeleteDialogComponent,
} from './user-delete-dialog.component';

@Component({
  selector: 'bp-users-admin',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatMenuModule,
    MatSelectModule,
  ],
  templateUrl: './users-admin.component.html',
  styleUrl: './admin.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersAdminComponent {
  private readonly api = inject(AdminApi);
  private readonly ops = inject(OperationsService);
  private readonly dialog = inject(MatDialog);
  protected readonly auth = inject(AuthService);
  protected readonly users = signal<User[]>([]);
  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly form = new FormGroup({
    username: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    password: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH)],
    }),
    role: new FormControl<Role>('user', { nonNullable: true }),
  });

  constructor() {
    this.load();
  }

  /** The user's quota overrides, in a dialog that saves them itself. */
  protected editQuotas(user: User): void {
    openQuotaDialog(this.dialog, { userId: user.id, username: user.username });
  }

  private load(): void {
    this.api
      .users()
      .subscribe({ next: (list) => this.users.set(list), error: () => this.users.set([]) });
  }

  async create(): Promise<void> {
    const body = this.form.getRawValue();
    const outcome = await this.ops.run(
      'Add user',
      this.api.createUser(body),
      `User ${body.username} added as ${body.role}`,
    );
    if (outcome.ok) this.form.reset({ username: '', password: '', role: 'user' });
    this.load();
  }

  async resetPassword(user: User): Promise<void> {
    const password = await firstValueFrom(
      this.dialog
        .open<PasswordResetDialogComponent, User, string>(PasswordResetDialogComponent, {
          data: user,
        })
        .afterClosed(),
    );
    if (!password) return;
    await this.ops.run(
      `Reset the password of ${user.username}`,
      this.api.resetPassword(user.id, password),
      `New password set for ${user.username}; their sessions ended`,
    );
  }

  async setDisabled(user: User, disabled: boolean): Promise<void> {
    if (
      disabled &&
      !(await confirmed(this.dialog, {
        title: `Disable ${user.username}?`,
        message:
          'They are signed out everywhere at once, their API tokens are revoked, and they cannot sign in until enabled again. Their containers keep running.',
        confirm: 'Disable',
      }))
    )
      return;
    await this.ops.run(
      `${disabled ? 'Disable' : 'Enable'} ${user.username}`,
      this.api.setDisabled(user.id, disabled),
      `${user.username} ${disabled ? 'disabled' : 'enabled'}`,
    );
    this.load();
  }

  async delete(user: User): Promise<void> {
    const others = this.users().filter((u) => u.id !== user.id && !u.disabled);
    const choice = await firstValueFrom(
      this.dialog
        .open<UserDeleteDialogComponent, UserDeleteData, UserDeleteChoice>(
          UserDeleteDialogComponent,
          { data: { user, others } },
        )
        .afterClosed(),
    );
    if (!choice) return;
    await this.ops.run(
      `Delete ${user.username}`,
      this.api.deleteUser(user.id, choice.to),
      `${user.username} deleted`,
    );
    this.load();
  }
}
