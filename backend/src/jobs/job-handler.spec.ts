import { ALL_JOB_NAMES, JobName } from '@branchpoint/contracts';
import { describe, expect, it } from 'vitest';
import { indexHandlers, type JobHandler } from './job-handler.js';

const handler: JobHandler<JobName> = { run: async () => undefined };
const all = () =>
  ALL_JOB_NAMES.map((name) => ({ name, provider: `${name}-job`, instance: handler }));

describe('indexHandlers', () => {
  it('indexes one handler per job name', () => {
    expect(indexHandlers(all()).size).toBe(ALL_JOB_NAMES.length);
  });

  it('names a job without a handler', () => {
    expect(() => indexHandlers(all().filter((h) => h.name !== JobName.ResetBranch))).toThrow(
      /job "reset-branch" has no handler/,
    );
  });

  it('names a job with two handlers and a handler of an unknown job', () => {
    const found = [
      ...all(),
      { name: JobName.CreateBookmark, provider: 'Twin', instance: handler },
      { name: 'nope' as JobName, provider: 'Stray', instance: handler },
    ];
    expect(() => indexHandlers(found)).toThrow(
      /job "create-bookmark" has more than one handler[\s\S]*Stray handles unknown job "nope"/,
    );
  });
});
