import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import { AgentsService } from '../agents/agents.service.js';
import { PeriodicTask } from '../common/periodic-task.js';
import { Host } from '../database/entities/host.entity.js';
import { Preview } from '../database/entities/preview.entity.js';
import { PreviewsService } from './previews.service.js';

const SWEEP_MS = 10_000;
/** Hosts are asked for what they serve every this many rounds (a zfs listing each). */
const HOST_CHECK_ROUNDS = 6;

/**
 * Ends previews whose time is up (every 10 s), and destroys previews a host serves that the
 * catalog does not know (a crash between the agent's answer and the row's delete; every minute).
 * The agents also destroy expired previews themselves, so nothing outlives its time for long.
 */
@Injectable()
export class PreviewSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PreviewSweep.name);
  private readonly task = new PeriodicTask('preview sweep', this.logger);
  private round = 0;

  constructor(
    @InjectRepository(Preview) private readonly previews: Repository<Preview>,
    @InjectRepository(Host) private readonly hosts: Repository<Host>,
    private readonly agents: AgentsService,
    private readonly service: PreviewsService,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(() => this.sweep(), SWEEP_MS, 1_000);
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }

  async sweep(now = new Date()): Promise<void> {
    for (const preview of await this.previews.findBy({ expiresAt: LessThan(now) }))
      await this.service
        .destroy(preview)
        .catch((error: unknown) => this.logger.warn(`preview ${preview.id}: ${String(error)}`));
    if (this.round++ % HOST_CHECK_ROUNDS !== 0) return;
    for (const host of await this.hosts.find()) {
      const agent = this.agents.client(host);
      const served = await agent.previews().catch(() => null);
      if (!served) continue;
      const known = new Set(
        (await this.previews.findBy({ hostId: host.id })).map((preview) => preview.id),
      );
      for (const { previewId } of served)
        if (!known.has(previewId))
          await agent
            .deletePreview(previewId)
            .catch((error: unknown) => this.logger.warn(`preview ${previewId}: ${String(error)}`));
    }
  }
}
