import { Injectable, inject, signal } from '@angular/core';
import { Observable, firstValueFrom, lastValueFrom, tap } from 'rxjs';
import { errorMessage } from '../api/error-message';
import { Accepted, Job } from '../api/models';
import { JobTracker } from './job-tracker.service';

export interface Operation {
  key: number;
  label: string;
  /** `notice`: a message that is not about an operation started here. */
  state: 'starting' | 'notice' | Job['state'];
  progress: number;
  message?: string;
  /** The job behind the operation, whose log the panel can show. */
  jobId?: string;
  log?: readonly string[];
  logOpen?: boolean;
  /** A page a succeeded operation offers to open, e.g. the container it changed. */
  link?: OperationLink;
}

export interface OperationLink {
  label: string;
  /** Router commands, e.g. `['/containers', id]`. */
  commands: readonly string[];
}

export interface OperationOutcome {
  ok: boolean;
  /** The id of what the operation created, if anything. */
  id?: string;
  job?: Job;
}

const SUCCESS_VISIBLE_MS = 6000;

/**
 * Runs user operations and keeps the list the progress panel shows: a request that answers
 * `{jobId}` is followed to the end of its job; any other answer counts as done at once.
 */
@Injectable({ providedIn: 'root' })
export class OperationsService {
  private readonly tracker = inject(JobTracker);
  private nextKey = 1;
  readonly operations = signal<Operation[]>([]);

  /**
   * `successMessage` may be a function when its words are only known once the request ran
   * (e.g. a name the request chose); `link` is offered with it, or made from the id of what
   * the operation created.
   */
  async run(
    label: string,
    request: Observable<unknown>,
    successMessage: string | (() => string),
    link?: OperationLink | ((createdId: string) => OperationLink),
  ): Promise<OperationOutcome> {
    const key = this.nextKey++;
    const succeeded = (createdId?: string) =>
      this.finish(
        key,
        'succeeded',
        typeof successMessage === 'string' ? successMessage : successMessage(),
        typeof link === 'function' ? (createdId ? link(createdId) : undefined) : link,
      );
    this.operations.update((list) => [...list, { key, label, state: 'starting', progress: 0 }]);
    try {
      const accepted = asAccepted(await firstValueFrom(request, { defaultValue: null }));
      if (!accepted) {
        succeeded();
        return { ok: true };
      }
      this.patch(key, { jobId: accepted.jobId });
      const job = await lastValueFrom(
        this.tracker.track(accepted.jobId).pipe(
          tap((update) =>
            this.patch(key, {
              state: update.state,
              progress: percent(update.progress),
              log: update.log,
            }),
          ),
        ),
        { defaultValue: undefined },
      );
      if (job?.state === 'succeeded') {
        succeeded(accepted.id);
        return { ok: true, id: accepted.id, job };
      }
      this.finish(
        key,
        'failed',
        `${label} failed: ${job?.error || 'the job ended without a result'}`,
      );
      return { ok: false, job };
    } catch (error) {
      this.finish(key, 'failed', `${label} failed: ${errorMessage(error)}`);
      return { ok: false };
    }
  }

  /** A message that is not about an operation of this tab (e.g. an expiry warning); stays until dismissed. */
  notify(label: string, message: string): void {
    const key = this.nextKey++;
    this.operations.update((list) => [
      ...list,
      { key, label, state: 'notice', progress: 100, message },
    ]);
  }

  /** Shows or hides an operation's job log (its lines come with every job update). */
  toggleLog(key: number): void {
    this.operations.update((list) =>
      list.map((op) => (op.key === key ? { ...op, logOpen: !op.logOpen } : op)),
    );
  }

  dismiss(key: number): void {
    this.operations.update((list) => list.filter((op) => op.key !== key));
  }

  private finish(key: number, state: Job['state'], message: string, link?: OperationLink): void {
    this.patch(key, { state, message, progress: 100, link });
    if (state === 'succeeded') setTimeout(() => this.dismissUnlessReading(key), SUCCESS_VISIBLE_MS);
  }

  /** A success goes away by itself, but not while its log is open. */
  private dismissUnlessReading(key: number): void {
    if (!this.operations().find((op) => op.key === key)?.logOpen) this.dismiss(key);
  }

  private patch(key: number, change: Partial<Operation>): void {
    this.operations.update((list) =>
      list.map((op) => (op.key === key ? { ...op, ...change } : op)),
    );
  }
}

function asAccepted(answer: unknown): Accepted | null {
  if (answer && typeof answer === 'object' && typeof (answer as Accepted).jobId === 'string') {
    return answer as Accepted;
  }
  return null;
}

/** Job progress is 0..100; clamp whatever arrives. */
function percent(progress: unknown): number {
  return typeof progress === 'number' && Number.isFinite(progress)
    ? Math.min(100, Math.max(0, progress))
    : 0;
}
