import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { AgentsService } from '../agents/agents.service.js';
import { PeriodicTask } from '../common/periodic-task.js';
import { AppConfig } from '../config/app-config.js';
import { Container } from '../database/entities/container.entity.js';
import { EventsService } from '../events/events.service.js';
import { JobsService } from '../jobs/jobs.service.js';
import { idleFor, latestActivity } from './idle.js';

/**
 * The idle stop (BP_IDLE_STOP_MS, off at 0): asks the agents when clients last used each running
 * container and queues a stop for those idle that long, to free the host's memory. The data
 * stays; `POST /containers/:id/start` (or an activation) starts the databases again.
 */
@Injectable()
export class IdleService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdleService.name);
  private readonly periodic = new PeriodicTask('idle stop', this.logger);

  constructor(
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    private readonly agents: AgentsService,
    private readonly jobs: JobsService,
    private readonly events: EventsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api' || this.config.idleStopMs === 0) return;
    // Serial: a check's session must not be another check's "client" (see the agent's lastActivity).
    this.periodic.start(() => this.sweep(), this.config.idleCheckMs, undefined, { serial: true });
  }

  onApplicationShutdown(): void {
    this.periodic.stop();
  }

  async sweep(now = new Date()): Promise<void> {
    for (const container of await this.containers.findBy({ state: 'ready', serving: 'running' })) {
      // One unreachable host must not keep the others' containers running.
      await this.check(container, now).catch((error: unknown) =>
        this.logger.warn(`idle check of container ${container.id} failed: ${String(error)}`),
      );
    }
  }

  private async check(container: Container, now: Date): Promise<void> {
    const activity = await (await this.agents.forHostOf(container)).activity(container.id);
    const latest = latestActivity(container.lastActivityAt, activity);
    if (latest && latest.getTime() !== container.lastActivityAt?.getTime())
      await this.containers.update(container.id, { lastActivityAt: latest });
    const idle = idleFor(latest, activity, now);
    if (idle === null || idle < this.config.idleStopMs) return;
    // Marked before the job runs, so the next round does not queue a second stop.
    await this.containers.update(container.id, { serving: 'idle' });
    await this.jobs.start(
      JobName.StopContainer,
      { containerId: container.id, reason: 'idle' },
      { userId: container.ownerIds[0]!, containerId: container.id },
      {
        actorId: null,
        action: 'container.idle-stop',
        entityType: 'container',
        entityId: container.id,
        details: { lastActivityAt: latest },
      },
    );
    await this.events.containerChanged(container.id);
  }
}
