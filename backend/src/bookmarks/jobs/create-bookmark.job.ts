import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { ContainerRecords } from '../../access/container-records.js';
import { faultPoint } from '../../common/fault-point.js';
import { Bookmark } from '../../database/entities/bookmark.entity.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { TimelineService } from '../../timeline/timeline.service.js';

/** Takes a point, holds its snapshots in ZFS, and records the bookmark on it. */
@Injectable()
@JobHandlerFor(JobName.CreateBookmark)
export class CreateBookmarkJob implements JobHandler<JobName.CreateBookmark> {
  constructor(
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    private readonly containers: ContainerRecords,
    private readonly timeline: TimelineService,
  ) {}

  async run({
    payload,
    userId,
    progress,
    log,
  }: JobContext<JobName.CreateBookmark>): Promise<Record<string, unknown>> {
    const { containerId, branchId, bookmarkId, pointId, bookmark } = payload;
    const container = await this.containers.get(containerId);
    // The point and its hold (tagged with the bookmark's id) in one agent call.
    await this.timeline.takePoint(
      container,
      branchId,
      pointId,
      'bookmark',
      { bookmarkId },
      bookmarkId,
    );
    await progress(50);
    faultPoint('bookmark:after-hold');
    if (!(await this.bookmarks.existsBy({ id: bookmarkId }))) {
      await this.bookmarks.insert({
        id: bookmarkId,
        containerId,
        branchId,
        pointId,
        name: bookmark.name,
        description: bookmark.description,
        tags: bookmark.tags,
        bugRef: bookmark.bugRef,
        expiresAt: bookmark.expiresAt ? new Date(bookmark.expiresAt) : null,
        creatorId: userId,
        visibility: 'private',
        sharedWith: [],
        expiryWarnedAt: null,
      });
    }
    await this.timeline.setBookmark(pointId, bookmarkId);
    await log(`bookmark “${bookmark.name}” holds point ${pointId}`);
    return { bookmarkId, pointId };
  }
}
