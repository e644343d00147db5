import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task.js';
import { AppConfig } from '../config/app-config.js';
import { Container } from '../database/entities/container.entity.js';
import { Schedule } from '../database/entities/schedule.entity.js';
import { JobsService } from '../jobs/jobs.service.js';
import { dueAction, type ScheduleAction } from './schedule.js';

/**
 * Every BP_SCHEDULE_CHECK_MS: for each schedule whose stop or start came since the last look,
 * queues the stop-container or start-container job of each container it governs (the same jobs
 * as the owner's Stop and Start). Replicas claim a schedule's window by moving its checkedAt,
 * so one of them acts.
 */
@Injectable()
export class ScheduleSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleSweep.name);
  private readonly periodic = new PeriodicTask('schedule sweep', this.logger);

  constructor(
    @InjectRepository(Schedule) private readonly schedules: Repository<Schedule>,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    private readonly jobs: JobsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    this.periodic.start(() => this.sweep(), this.config.scheduleCheckMs);
  }

  onApplicationShutdown(): void {
    this.periodic.stop();
  }

  async sweep(now = new Date()): Promise<void> {
    for (const schedule of await this.schedules.find()) {
      const action = dueAction(schedule, schedule.checkedAt, now);
      const claimed = await this.schedules.update(
        { id: schedule.id, checkedAt: schedule.checkedAt },
        { checkedAt: now },
      );
      if (!action || !claimed.affected) continue;
      for (const container of await this.governed(schedule))
        await this.apply(action, container).catch((error: unknown) =>
          this.logger.warn(
            `scheduled ${action} of container ${container.id} failed: ${String(error)}`,
          ),
        );
    }
  }

  /** The ready containers a schedule governs: its container, or the user's without their own. */
  private governed(schedule: Schedule): Promise<Container[]> {
    const query = this.containers.createQueryBuilder('c').where(`c.state = 'ready'`);
    if (schedule.containerId)
      return query.andWhere('c.id = :id', { id: schedule.containerId }).getMany();
    return query
      .andWhere(`c."ownerIds"[1] = :userId`, { userId: schedule.userId })
      .andWhere(`NOT EXISTS (SELECT 1 FROM schedule s WHERE s."containerId" = c.id)`)
      .getMany();
  }

  private async apply(action: ScheduleAction, container: Container): Promise<void> {
    const running = container.serving === 'running';
    if (action === 'stop' ? !running : running) return;
    const scope = { userId: container.ownerIds[0]!, containerId: container.id };
    const audit = {
      actorId: null,
      action: `container.schedule-${action}`,
      entityType: 'container',
      entityId: container.id,
    };
    if (action === 'stop')
      await this.jobs.start(
        JobName.StopContainer,
        { containerId: container.id, reason: 'owner' },
        scope,
        audit,
      );
    else await this.jobs.start(JobName.StartContainer, { containerId: container.id }, scope, audit);
  }
}
