import { api as rest, type ApiComponents } from '@branchpoint/api-client';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { HttpApi } from './http-api';

export type ApiToken = ApiComponents['schemas']['ApiTokenDto'];
export type CreatedApiToken = ApiComponents['schemas']['CreatedApiTokenDto'];

/** The signed-in user's own account: password and personal API tokens. */
@Injectable({ providedIn: 'root' })
export class AccountApi {
  private readonly api = inject(HttpApi);

  changePassword(currentPassword: string, newPassword: string): Observable<void> {
    return this.api.send(rest.auth.changePassword({ currentPassword, newPassword }));
  }

  tokens(): Observable<ApiToken[]> {
    return this.api.sendAll(rest.auth.listTokens());
  }

  createToken(name: string, expiresInDays: number): Observable<CreatedApiToken> {
    return this.api.send(rest.auth.createToken({ name, expiresInDays }));
  }

  revokeToken(id: string): Observable<void> {
    return this.api.send(rest.auth.revokeToken(id));
  }
}
