import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { AdminApi } from '../core/api/admin.api';
import { Role, User } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';

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
  template: `
    <section aria-label="Users" class="bp-card flush">
      <table class="bp-table">
        <thead>
          <tr>
            <th>Username</th>
            <th>Role</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          @for (u of users(); track u.id) {
            <tr>
              <td>
                <strong>{{ u.username }}</strong>
              </td>
              <td>
                <span class="bp-chip">{{ u.role }}</span>
              </td>
              <td>{{ u.createdAt ? (u.createdAt | date: 'medium') : '—' }}</td>
            </tr>
          }
        </tbody>
      </table>
    </section>
    <form class="bp-card" [formGroup]="form" (ngSubmit)="create()">
      <h2>Add a user</h2>
      <mat-form-field appearance="outline"
        ><mat-label>New username</mat-label
        ><input matInput formControlName="username" autocomplete="off"
      /></mat-form-field>
      <mat-form-field appearance="outline"
        ><mat-label>Initial password</mat-label
        ><input matInput type="password" formControlName="password" autocomplete="new-password"
      /></mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Role</mat-label>
        <mat-select formControlName="role">
          <mat-option value="user">User: own containers and bookmarks</mat-option>
          <mat-option value="admin">Admin: also hosts, templates, users</mat-option>
        </mat-select>
      </mat-form-field>
      <button mat-flat-button type="submit" [disabled]="form.invalid">Add user</button>
    </form>
  `,
  styleUrl: './admin.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersAdminComponent {
  private readonly api = inject(AdminApi);
  private readonly ops = inject(OperationsService);
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
