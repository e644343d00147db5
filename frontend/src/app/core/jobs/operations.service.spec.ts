import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { Subject, of, throwError } from 'rxjs';
import { Job } from '../api/models';
import { aJob } from '../../testing/fixtures';
import { JobTracker } from './job-tracker.service';
import { OperationsService } from './operations.service';

const job = (state: Job['state'], progress: number, error?: string) =>
  aJob({ type: 'restore-branch', state, progress, error });

describe('OperationsService', () => {
  let updates: Subject<Job>;
  let ops: OperationsService;
  beforeEach(() => {
    updates = new Subject<Job>();
    TestBed.configureTestingModule({
      providers: [{ provide: JobTracker, useValue: { track: () => updates } }],
    });
    ops = TestBed.inject(OperationsService);
  });

  afterEach(() => vi.useRealTimers());

  it('shows the job’s progress while it runs and the success message at the end', async () => {
    const outcome = ops.run('Restore', of({ jobId: 'j1', id: 'new-1' }), 'Restored');
    await Promise.resolve();
    updates.next(job('running', 40));
    expect(ops.operations()[0]).toMatchObject({ label: 'Restore', state: 'running', progress: 40 });
    updates.next(job('succeeded', 100));
    updates.complete();
    expect(await outcome).toMatchObject({ ok: true, id: 'new-1' });
    expect(ops.operations()[0]).toMatchObject({ state: 'succeeded', message: 'Restored' });
  });

  it('says what went wrong when the job fails', async () => {
    const outcome = ops.run('Restore', of({ jobId: 'j1' }), 'Restored');
    await Promise.resolve();
    updates.next(job('failed', 30, 'agent unreachable: connect ECONNREFUSED'));
    updates.complete();
    expect((await outcome).ok).toBe(false);
    expect(ops.operations()[0]?.message).toBe(
      'Restore failed: agent unreachable: connect ECONNREFUSED',
    );
  });

  it('says what went wrong when the request is refused', async () => {
    const refused = new HttpErrorResponse({
      status: 409,
      statusText: 'Conflict',
      error: { statusCode: 409, error: 'Conflict', message: 'container is locked by qa' },
    });
    const outcome = await ops.run(
      'Reset',
      throwError(() => refused),
      'Reset done',
    );
    expect(outcome.ok).toBe(false);
    expect(ops.operations()[0]?.message).toBe('Reset failed: container is locked by qa');
  });

  it('counts an answer without a job as done at once', async () => {
    const outcome = await ops.run('Share', of({}), 'Shared');
    expect(outcome.ok).toBe(true);
    expect(ops.operations()[0]?.message).toBe('Shared');
  });

  it('keeps notices that are not about an operation until they are dismissed', () => {
    ops.notify('Expiry', 'Container “qa-box” will be deleted tomorrow.');
    const [notice] = ops.operations();
    expect(notice).toMatchObject({
      state: 'notice',
      message: 'Container “qa-box” will be deleted tomorrow.',
    });
    ops.dismiss(notice!.key);
    expect(ops.operations()).toEqual([]);
  });

  it('keeps the log lines of each job update, up to the failure', async () => {
    const outcome = ops.run('Activate', of({ jobId: 'j1' }), 'Active');
    await Promise.resolve();
    updates.next({ ...job('running', 50), log: ['stopping default'] });
    expect(ops.operations()[0]).toMatchObject({ jobId: 'j1', log: ['stopping default'] });
    updates.next({
      ...job('failed', 60, 'hook 1 failed'),
      log: ['stopping default', 'starting bug-4711', 'app-db: hook 1: ERROR: boom'],
    });
    updates.complete();
    await outcome;
    expect(ops.operations()[0]?.log).toEqual([
      'stopping default',
      'starting bug-4711',
      'app-db: hook 1: ERROR: boom',
    ]);
  });

  it('keeps a success on screen while its log is open', async () => {
    vi.useFakeTimers();
    const outcome = ops.run('Refresh', of({ jobId: 'j1' }), 'Refreshed');
    await Promise.resolve();
    updates.next({ ...job('succeeded', 100), log: ['ingest app-db', 'snapshot v2'] });
    updates.complete();
    await outcome;
    const key = ops.operations()[0]!.key;
    ops.toggleLog(key);
    expect(ops.operations()[0]).toMatchObject({
      logOpen: true,
      log: ['ingest app-db', 'snapshot v2'],
    });
    vi.advanceTimersByTime(10_000);
    expect(ops.operations()).toHaveLength(1);

    ops.toggleLog(key);
    expect(ops.operations()[0]?.logOpen).toBe(false);
  });
});
