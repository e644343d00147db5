import { api } from '@branchpoint/api-client';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { HttpApi } from '../api/http-api';
import { User } from '../api/models';

const TOKEN_KEY = 'branchpoint.token';

/** The signed-in user and their access token (kept in localStorage across reloads). */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpApi);
  private readonly router = inject(Router);

  readonly token = signal<string | null>(readToken());
  readonly user = signal<User | null>(null);
  readonly isAdmin = computed(() => this.user()?.role === 'admin');

  async signIn(username: string, password: string): Promise<void> {
    const { accessToken } = await firstValueFrom(
      this.http.send(api.auth.login({ username, password })),
    );
    localStorage.setItem(TOKEN_KEY, accessToken);
    this.token.set(accessToken);
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

  signOut(): void {
    this.clear();
    void this.router.navigate(['/sign-in']);
  }

  private clear(): void {
    localStorage.removeItem(TOKEN_KEY);
    this.token.set(null);
    this.user.set(null);
  }
}

function readToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}
