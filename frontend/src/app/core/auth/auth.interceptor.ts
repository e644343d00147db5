import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { API_BASE } from '../api/api-base';
import { endsSession } from '../api/error-message';
import { AuthService } from './auth.service';

/** Adds the Bearer token to API calls; a missing or expired token on anything but sign-in ends the session. */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith(API_BASE)) return next(req);
  const auth = inject(AuthService);
  const token = auth.token();
  const authorized = token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;
  return next(authorized).pipe(
    catchError((error: unknown) => {
      const isLogin = req.url.endsWith('/auth/login') || req.url.endsWith('/me');
      if (endsSession(error) && !isLogin) auth.signOut();
      return throwError(() => error);
    }),
  );
};
