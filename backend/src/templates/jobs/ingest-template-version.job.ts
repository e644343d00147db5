import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { AgentsService } from '../../agents/agents.service.js';
import type { TemplateHooks } from '../../database/entities/template.entity.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { TemplateHostsService } from '../template-hosts.service.js';
import { TemplatesService } from '../templates.service.js';
import { sourceSpec } from '../../common/engines.js';

const PROGRESS_POLL_MS = 2_000;

/** Copies every source into ZFS on the template's host and snapshots them as one version. */
@Injectable()
@JobHandlerFor(JobName.IngestTemplateVersion)
export class IngestTemplateVersionJob implements JobHandler<JobName.IngestTemplateVersion> {
  constructor(
    private readonly templates: TemplatesService,
    private readonly agents: AgentsService,
    private readonly templateHosts: TemplateHostsService,
    private readonly jobs: JobsService,
  ) {}

  async run({
    payload,
    userId,
    progress,
    log,
  }: JobContext<JobName.IngestTemplateVersion>): Promise<Record<string, unknown>> {
    const { templateId, version } = payload;
    const template = await this.templates.template(templateId);
    const agent = await this.agents.forHostOf(template);
    const sources = await this.templates.sourcesToIngest(templateId);
    const { hooks } = template;
    await log(
      `ingesting ${version} of template ${template.name}: ${sources.map((s) => s.name).join(', ')}${describeHooks(hooks)}`,
    );
    // The ingest call answers when done; meanwhile its progress is read from the agent.
    const poll = setInterval(() => {
      agent.templateVersion(templateId, version).then(
        (status) => progress(status.progress * 0.95),
        () => undefined,
      );
    }, PROGRESS_POLL_MS);
    try {
      const status = await agent.ingestTemplateVersion(templateId, version, {
        sources: sources.map(sourceSpec),
        hooks: { afterIngest: hooks.afterIngest, afterIngestShell: hooks.afterIngestShell },
      });
      if (status.state === 'failed')
        throw new Error(`ingest of ${version} failed: ${status.error ?? 'unknown error'}`);
      await this.templates.setVersionState(templateId, version, 'ready', null);
      await log(`version ${version} ready`);
      // Every other host the template is on gets the new version as an increment.
      for (const { hostId } of await this.templateHosts.added(templateId))
        await this.jobs.enqueue(
          JobName.ReplicateTemplate,
          { templateId, hostId },
          { userId, templateId },
        );
      return { templateId, version };
    } catch (error) {
      await this.templates.setVersionState(templateId, version, 'failed', (error as Error).message);
      throw error;
    } finally {
      clearInterval(poll);
    }
  }
}

function describeHooks(hooks: TemplateHooks): string {
  const parts = [
    hooks.afterIngest?.length ? `${hooks.afterIngest.length} SQL statement(s)` : '',
    hooks.afterIngestShell ? 'a shell script' : '',
  ].filter(Boolean);
  return parts.length > 0 ? `; afterIngest hooks: ${parts.join(' and ')}` : '';
}
