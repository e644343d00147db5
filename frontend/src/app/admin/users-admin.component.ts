import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { AdminApi } from '../core/api/admin.api';
import { Role, User } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { openQuotaDialog } from './quota-dialog.component';

@Component({
  selector: 'bp-users-admin',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
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
  protected readonly users = signal<User[]>([]);
  protected readonly form = new FormGroup({
    username: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    password: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.minLength(8)],
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
}
