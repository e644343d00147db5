import { HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { API_BASE } from '../api/api-base';
import { endsSession } from '../api/error-message';
import { AuthService } from './auth.service';

/** Calls that manage the session itself: their 401s are answers, not an expired token. */
const SESSION_CALLS = /\/auth\/(login|refresh|logout)$/;

/**
 * Adds the Bearer token to API calls. When the API says the token expired, the session's
 * refresh token renews it once and the call is sent again; when that fails the session ends.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith(API_BASE)) return next(req);
  const auth = inject(AuthService);
  const token = auth.token();
  return next(withToken(req, token)).pipe(
    catchError((error: unknown) => {
      if (!token || !endsSession(error) || SESSION_CALLS.test(req.url))
        return throwError(() => error);
      return from(auth.refresh()).pipe(
        switchMap((renewed) => {
          if (!renewed) {
            auth.signOut();
            return throwError(() => error);
          }
          return next(withToken(req, auth.token()));
        }),
      );
    }),
  );
};

function withToken<T>(req: HttpRequest<T>, token: string | null): HttpRequest<T> {
  return token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;
}
