import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { of } from 'rxjs';
import { JobTracker } from '../core/jobs/job-tracker.service';
import { OperationsService } from '../core/jobs/operations.service';
import { aJob } from './fixtures';

/**
 * The set-up an action service's spec needs: a fake HTTP backend, real operations whose jobs
 * succeed at once, and a dialog that answers `answer` without showing anything. `opened`
 * records what each dialog was opened with.
 */
export function actionHarness(answer: unknown, providers: Provider[] = []) {
  const opened: { component: unknown; data: unknown }[] = [];
  const dialog = {
    open: (component: unknown, config?: { data?: unknown }) => {
      opened.push({ component, data: config?.data });
      return { afterClosed: () => of(answer) };
    },
  };
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: MatDialog, useValue: dialog },
      {
        provide: JobTracker,
        useValue: { track: (id: string) => of(aJob({ id, state: 'succeeded', progress: 100 })) },
      },
      ...providers,
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const ops = TestBed.inject(OperationsService);
  /** Waits for the request `method url`, answers it, and returns it. */
  const expectRequest = async (method: string, url: string, body: object | null = {}) => {
    for (let tick = 0; tick < 20; tick++) {
      const [request] = http.match({ method, url });
      if (request) {
        request.flush(body);
        return request.request;
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    throw new Error(`no request ${method} ${url}`);
  };
  const messages = () => ops.operations().map((op) => op.message);
  return { http, opened, expectRequest, messages };
}
