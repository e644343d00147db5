import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject, of } from 'rxjs';
import { JobsApi } from '../api/jobs.api';
import { Job } from '../api/models';
import { SocketService } from '../socket/socket.service';
import { aJob } from '../../testing/fixtures';
import { JobTracker } from './job-tracker.service';

const job = (id: string, state: Job['state'], progress: number) => aJob({ id, state, progress });

describe('JobTracker', () => {
  afterEach(() => vi.useRealTimers());

  it('follows socket pushes for its job only and completes when the job ends', () => {
    const pushes = new Subject<Job>();
    const connected = signal(true);
    TestBed.configureTestingModule({
      providers: [
        { provide: SocketService, useValue: { on: () => pushes, connected } },
        { provide: JobsApi, useValue: { get: () => of(job('j1', 'queued', 0)) } },
      ],
    });
    const seen: Job[] = [];
    let done = false;
    TestBed.inject(JobTracker)
      .track('j1')
      .subscribe({ next: (j) => seen.push(j), complete: () => (done = true) });
    pushes.next(job('other', 'running', 50));
    pushes.next(job('j1', 'running', 50));
    pushes.next(job('j1', 'succeeded', 100));
    pushes.next(job('j1', 'running', 70));
    expect(seen.map((j) => `${j.state}:${j.progress}`)).toEqual(['running:50', 'succeeded:100']);
    expect(done).toBe(true);
  });

  it('polls GET /jobs/:id every second while the socket is down', () => {
    vi.useFakeTimers();
    const answers = [job('j1', 'running', 10), job('j1', 'running', 60), job('j1', 'failed', 60)];
    const get = vi.fn(() => of(answers.shift() ?? job('j1', 'failed', 60)));
    TestBed.configureTestingModule({
      providers: [
        {
          provide: SocketService,
          useValue: { on: () => new Subject<Job>(), connected: signal(false) },
        },
        { provide: JobsApi, useValue: { get } },
      ],
    });
    const seen: Job[] = [];
    TestBed.inject(JobTracker)
      .track('j1')
      .subscribe((j) => seen.push(j));
    vi.advanceTimersByTime(2500);
    expect(get).toHaveBeenCalledTimes(3);
    expect(seen.at(-1)?.state).toBe('failed');
    vi.advanceTimersByTime(5000);
    expect(get).toHaveBeenCalledTimes(3);
  });

  it('reads the job once and then learns its end from the socket, not by polling', () => {
    vi.useFakeTimers();
    const pushes = new Subject<Job>();
    const get = vi.fn(() => of(job('j1', 'running', 10)));
    TestBed.configureTestingModule({
      providers: [
        { provide: SocketService, useValue: { on: () => pushes, connected: signal(true) } },
        { provide: JobsApi, useValue: { get } },
      ],
    });
    const seen: Job[] = [];
    let done = false;
    TestBed.inject(JobTracker)
      .track('j1')
      .subscribe({ next: (j) => seen.push(j), complete: () => (done = true) });
    vi.advanceTimersByTime(10_000);
    expect(get).toHaveBeenCalledTimes(1);
    pushes.next(job('j1', 'succeeded', 100));
    expect(done).toBe(true);
    expect(seen.map((j) => `${j.state}:${j.progress}`)).toEqual(['running:10', 'succeeded:100']);
  });
});
