import { DestroyRef, inject, type Signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { catchError, EMPTY, switchMap, takeWhile, timer, type Observable } from 'rxjs';
import { errorMessage } from '../core/api/error-message';

const POLL_MS = 1500;

/**
 * A diff or rebase read again every 1.5 s while queued or running (its last state included),
 * for the page's life; a failed read ends it with `onError`. Call in an injection context.
 */
export function pollWhileRunning<T extends { state: string }>(
  id: Signal<string>,
  get: (id: string) => Observable<T>,
  onError: (message: string) => void,
): Observable<T> {
  return toObservable(id).pipe(
    switchMap((current) =>
      timer(0, POLL_MS).pipe(
        switchMap(() => get(current)),
        takeWhile((row) => row.state === 'queued' || row.state === 'running', true),
      ),
    ),
    catchError((e: unknown) => {
      onError(errorMessage(e));
      return EMPTY;
    }),
    takeUntilDestroyed(inject(DestroyRef)),
  );
}
