import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { errorMessage } from '../api/error-message';
import { isLocalPath, SsoService } from './sso.service';

/**
 * Where single sign-on returns to (`/sign-in/sso#code=…`): exchanges the one-time code for a
 * session, then leaves for the page the user wanted, replacing this URL in the history.
 */
@Component({
  selector: 'bp-sso-callback',
  imports: [MatButtonModule, MatProgressSpinnerModule, RouterLink],
  template: `
    <div class="bp-card panel" role="status" aria-live="polite">
      <div class="brand"><img src="favicon.svg" alt="" width="36" height="36" /> Branchpoint</div>
      @if (error(); as message) {
        <h1>Sign-in failed</h1>
        <p class="error" role="alert">{{ message }}</p>
        <a mat-flat-button routerLink="/sign-in">Back to sign-in</a>
      } @else {
        <h1>Signing you in…</h1>
        <mat-progress-spinner mode="indeterminate" diameter="32" />
      }
    </div>
  `,
  styleUrl: './sign-in.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SsoCallbackComponent implements OnInit {
  private readonly sso = inject(SsoService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly error = signal<string | null>(null);

  async ngOnInit(): Promise<void> {
    // The code comes in the fragment, which browsers never send to a server or in a Referer.
    const fragment = new URLSearchParams(this.route.snapshot.fragment ?? '');
    const code = fragment.get('code');
    if (!code) {
      this.error.set('The sign-in link has no code. Start again from the sign-in page.');
      return;
    }
    try {
      await this.sso.signIn(code);
      const returnUrl = fragment.get('returnUrl');
      await this.router.navigateByUrl(isLocalPath(returnUrl) ? returnUrl : '/containers', {
        replaceUrl: true,
      });
    } catch (error) {
      this.error.set(errorMessage(error));
    }
  }
}
