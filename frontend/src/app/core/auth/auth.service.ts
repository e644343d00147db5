import { api, type ApiComponents } from '@branchpoint/api-client';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { HttpApi } from '../api/http-api';
import { User } from '../api/models';

type SessionTokens = ApiComponents['schemas']['SessionTokensDto'];

/** Where the session's tokens live across reloads, shared by the tabs of this browser. */
const SESSION_KEY = 'branchpoint.session';

interface StoredSession {
  accessToken: string;
  refreshToken: string;
}

/**
 * The signed-in user and their session: a short-lived access token, renewed with the refresh
 * token when the API says it expired (each refresh token works once; tabs share the newest).
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpApi);
  private readonly router = inject(Router);
  private refreshing: Promise<boolean> | null = null;

  readonly token = signal<string | null>(readSession()?.accessToken ?? null);
  readonly user = signal<User | null>(null);
  readonly isAdmin = computed(() => this.user()?.role === 'admin');

  async signIn(username: string, password: string): Promise<void> {
    await this.adopt(await firstValueFrom(this.http.send(api.auth.login({ username, password }))));
  }

  /** Starts using tokens of a new session (a sign-in, or single sign-on's exchange). */
  async adopt(tokens: SessionTokens): Promise<void> {
    this.store({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
    await this.loadUser();
  }

  /** Loads the user behind the stored token; false when there is none or it is no longer valid. */
  async loadUser(): Promise<boolean> {
    if (!this.token()) return false;
    try {
      this.user.set(await firstValueFrom(this.http.send(api.auth.me())));
      return true;
    } catch {
      this.clear();
      return false;
    }
  }

  /** A new access token from the refresh token; false when the session is over. One at a time. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.renew().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /** Ends the session on the server too, so its tokens stop working everywhere. */
  signOut(): void {
    if (this.token()) this.http.send(api.auth.logout()).subscribe({ error: () => undefined });
    this.clear();
    void this.router.navigate(['/sign-in']);
  }

  private async renew(): Promise<boolean> {
    const stored = readSession();
    if (!stored) return false;
    // Another tab renewed already: its tokens are ours too.
    if (stored.accessToken !== this.token()) {
      this.token.set(stored.accessToken);
      return true;
    }
    try {
      const tokens = await firstValueFrom(
        this.http.send(api.auth.refresh({ refreshToken: stored.refreshToken })),
      );
      this.store({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
      return true;
    } catch {
      // Another tab may have won the race with the same refresh token.
      const now = readSession();
      if (now && now.refreshToken !== stored.refreshToken) {
        this.token.set(now.accessToken);
        return true;
      }
      return false;
    }
  }

  private store(session: StoredSession): void {
    try {
      localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    } catch {
      // Private mode without storage: the session lasts as long as the page.
    }
    this.token.set(session.accessToken);
  }

  private clear(): void {
    try {
      localStorage.removeItem(SESSION_KEY);
    } catch {
      // nothing stored
    }
    this.token.set(null);
    this.user.set(null);
  }
}

function readSession(): StoredSession | null {
  try {
    const stored = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as unknown;
    if (
      stored &&
      typeof stored === 'object' &&
      typeof (stored as StoredSession).accessToken === 'string' &&
      typeof (stored as StoredSession).refreshToken === 'string'
    )
      return stored as StoredSession;
    return null;
  } catch {
    return null;
  }
}
