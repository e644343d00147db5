import { JobName } from '@branchpoint/contracts';
import { describe, expect, it, vi } from 'vitest';
import type { ContainerRecords } from '../../access/container-records.js';
import type { Container } from '../../database/entities/container.entity.js';
import type { JobContext } from '../../jobs/job-handler.js';
import type { TimelineService } from '../../timeline/timeline.service.js';
import { RefreshContainerJob } from './refresh-container.job.js';

describe('RefreshContainerJob', () => {
  it('restores the active branch from the new template version, which the branch then has', async () => {
    const container = { id: 'c1', templateId: 't1' } as Container;
    const containers = { get: vi.fn(async () => container), update: vi.fn(async () => undefined) };
    const timeline = { replaceData: vi.fn(async () => undefined) };
    const job = new RefreshContainerJob(
      containers as unknown as ContainerRecords,
      timeline as unknown as TimelineService,
    );
    const payload = {
      containerId: 'c1',
      branchId: 'b1',
      beforePointId: 'before',
      generationId: 'g2',
      afterPointId: 'after',
      version: 'v2',
    };
    const log = vi.fn(async () => undefined);
    const context: JobContext<JobName.RefreshContainer> = {
      jobId: 'j1',
      userId: 'u1',
      payload,
      progress: async () => undefined,
      log,
    };

    expect(await job.run(context)).toEqual({ pointId: 'after', version: 'v2' });
    expect(timeline.replaceData).toHaveBeenCalledWith(
      container,
      payload,
      { kind: 'template', templateId: 't1', version: 'v2' },
      'refresh',
      context.progress,
    );
    // The version is the branch's (set by replaceData), not a second copy on the container.
    expect(containers.update).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('refreshed to template version v2');
  });
});
