import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { AgentsService } from '../../agents/agents.service.js';
import { SecretBox } from '../../common/secret-box.js';
import { Container } from '../../database/entities/container.entity.js';
import { Host } from '../../database/entities/host.entity.js';
import { Preview } from '../../database/entities/preview.entity.js';
import { TemplateSource } from '../../database/entities/template-source.entity.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';

/** Clones the point on its host and starts its read-only servers; the row learns the endpoints. */
@Injectable()
@JobHandlerFor(JobName.CreatePreview)
export class CreatePreviewJob implements JobHandler<JobName.CreatePreview> {
  constructor(
    @InjectRepository(Preview) private readonly previews: Repository<Preview>,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Host) private readonly hosts: Repository<Host>,
    @InjectRepository(TemplateSource) private readonly sources: Repository<TemplateSource>,
    private readonly agents: AgentsService,
    private readonly secrets: SecretBox,
  ) {}

  async run({ payload, log }: JobContext<JobName.CreatePreview>): Promise<Record<string, unknown>> {
    const preview = await this.previews.findOneBy({ id: payload.previewId });
    if (!preview) throw new Error(`preview ${payload.previewId} was deleted before it was made`);
    try {
      const status = await (
        await this.agents.forHostOf(preview)
      ).createPreview(preview.id, {
        containerId: preview.containerId,
        branchId: preview.branchId,
        pointId: preview.pointId,
        password: this.secrets.open(preview.password),
        expiresAt: preview.expiresAt.toISOString(),
      });
      const container = await this.containers.findOneByOrFail({ id: preview.containerId });
      const host = await this.hosts.findOneByOrFail({ id: preview.hostId });
      const names = new Map(
        (await this.sources.findBy({ templateId: container.templateId })).map((s) => [
          s.id,
          s.name,
        ]),
      );
      const endpoints = status.endpoints.map((endpoint) => ({
        sourceId: endpoint.sourceId,
        source: names.get(endpoint.sourceId) ?? endpoint.sourceId,
        host: new URL(host.url).hostname,
        port: endpoint.port,
        database: endpoint.database,
        username: endpoint.username,
      }));
      await this.previews.update(preview.id, { state: 'ready', endpoints, error: null });
      await log(`preview of point ${preview.pointId} serves read-only until ${status.expiresAt}`);
      return { previewId: preview.id };
    } catch (error) {
      await this.previews.update(preview.id, { state: 'failed', error: String(error) });
      throw error;
    }
  }
}
