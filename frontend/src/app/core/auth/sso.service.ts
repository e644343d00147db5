import { Injectable, inject } from '@angular/core';
import { api, queryString, type ApiComponents } from '@branchpoint/api-client';
import { firstValueFrom } from 'rxjs';
import { HttpApi } from '../api/http-api';
import { AuthService } from './auth.service';

export type SsoStatus = ApiComponents['schemas']['SsoStatusDto'];

/** Single sign-on: whether it is on, where the browser starts it, and the exchange of its one-time code. */
@Injectable({ providedIn: 'root' })
export class SsoService {
  private readonly http = inject(HttpApi);
  private readonly auth = inject(AuthService);

  status(): Promise<SsoStatus> {
    return firstValueFrom(this.http.send(api.sso.status()));
  }

  /** The control plane's start URL: the browser goes there, and from there to the provider. */
  startUrl(returnUrl: string | null): string {
    const call = api.sso.start(isLocalPath(returnUrl) ? { returnUrl } : {});
    return `${call.path}${queryString(call.query)}`;
  }

  /** Exchanges the callback's one-time code for a session, which then becomes the user's. */
  async signIn(code: string): Promise<void> {
    await this.auth.adopt(await firstValueFrom(this.http.send(api.sso.exchange({ code }))));
  }
}

/** A path of this UI ("/containers"), not a way out of it ("//host", "/\host", "https:…"). */
export function isLocalPath(url: string | null | undefined): url is string {
  return !!url && /^\/(?![/\\])/.test(url);
}
