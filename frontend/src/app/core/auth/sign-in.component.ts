import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router } from '@angular/router';
import { errorMessage } from '../api/error-message';
import { AuthService } from './auth.service';
import { SsoService, type SsoStatus } from './sso.service';

@Component({
  selector: 'bp-sign-in',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatButtonModule],
  template: `
    <form class="bp-card" [formGroup]="form" (ngSubmit)="submit()" aria-labelledby="sign-in-title">
      <div class="brand"><img src="favicon.svg" alt="" width="36" height="36" /> Branchpoint</div>
      <h1 id="sign-in-title">Sign in</h1>
      <p class="bp-muted">Your private, branchable copies of production-like databases.</p>
      <mat-form-field appearance="outline">
        <mat-label>Username</mat-label>
        <input matInput formControlName="username" autocomplete="username" required />
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Password</mat-label>
        <input
          matInput
          type="password"
          formControlName="password"
          autocomplete="current-password"
          required
        />
      </mat-form-field>
      @if (error(); as message) {
        <p class="error" role="alert">{{ message }}</p>
      }
      <button mat-flat-button type="submit" [disabled]="busy()">Sign in</button>
      @if (sso()?.enabled) {
        <p class="or bp-muted">or</p>
        <a mat-stroked-button class="sso" [href]="ssoStartUrl()">Sign in with {{ sso()?.name }}</a>
      }
    </form>
  `,
  styleUrl: './sign-in.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignInComponent implements OnInit {
  private readonly auth = inject(AuthService);
  private readonly ssoService = inject(SsoService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly form = new FormGroup({
    username: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Single sign-on, when the server offers it (a full-page link: the provider's page follows). */
  protected readonly sso = signal<SsoStatus | null>(null);

  ngOnInit(): void {
    // Without an answer the page offers password sign-in only.
    this.ssoService.status().then(
      (status) => this.sso.set(status),
      () => undefined,
    );
  }

  protected ssoStartUrl(): string {
    return this.ssoService.startUrl(this.route.snapshot.queryParamMap.get('returnUrl'));
  }

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.error.set('Enter your username and password.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const { username, password } = this.form.getRawValue();
    try {
      await this.auth.signIn(username, password);
      const returnUrl = this.route.snapshot.queryParamMap.get('returnUrl');
      await this.router.navigateByUrl(returnUrl?.startsWith('/') ? returnUrl : '/containers');
    } catch (error) {
      this.error.set(`Sign-in failed: ${errorMessage(error)}`);
    } finally {
      this.busy.set(false);
    }
  }
}
