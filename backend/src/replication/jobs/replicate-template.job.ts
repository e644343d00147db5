import { Injectable } from '@nestjs/common';
import { JobName } from '@branchpoint/contracts';
import { HostsService } from '../../hosts/hosts.service.js';
import { JobHandlerFor, type JobContext, type JobHandler } from '../../jobs/job-handler.js';
import { TemplateHostsService } from '../../templates/template-hosts.service.js';
import { TemplatesService } from '../../templates/templates.service.js';
import { TransfersService } from '../transfers.service.js';

/**
 * Brings an added host up to the template's newest ready version: `zfs send` of the whole
 * template when the host holds none yet, else of the increment from the newest version it holds
 * (every version in between comes along). Repeating it after a crash sends what is still missing.
 */
@Injectable()
@JobHandlerFor(JobName.ReplicateTemplate)
export class ReplicateTemplateJob implements JobHandler<JobName.ReplicateTemplate> {
  constructor(
    private readonly templates: TemplatesService,
    private readonly templateHosts: TemplateHostsService,
    private readonly hosts: HostsService,
    private readonly transfers: TransfersService,
  ) {}

  async run({
    payload,
    progress,
    log,
  }: JobContext<JobName.ReplicateTemplate>): Promise<Record<string, unknown>> {
    const { templateId, hostId } = payload;
    const template = await this.templates.template(templateId);
    const row = await this.templateHosts.find(templateId, hostId);
    const latest = await this.templates.latestReadyVersion(templateId);
    if (!row || row.state === 'removing' || !latest) {
      await log('nothing to send: the host was taken off the template, or it has no ready version');
      return { templateId, hostId, skipped: true };
    }
    const from = row.versionNumber;
    if (from !== null && from >= latest.number) {
      await this.templateHosts.setState(templateId, hostId, 'ready');
      return { templateId, hostId, version: `v${from}`, bytes: 0 };
    }
    const [origin, target] = await Promise.all([
      this.hosts.get(template.hostId),
      this.hosts.get(hostId),
    ]);
    const subject = {
      kind: 'template' as const,
      templateId,
      from: from === null ? null : `v${from}`,
      to: latest.version,
    };
    await this.templateHosts.setState(templateId, hostId, 'replicating');
    await log(
      `sending template ${template.name} ${subject.from ? `${subject.from} → ${subject.to} (increment)` : `${subject.to} (whole)`} from host ${origin.name} to ${target.name}`,
    );
    try {
      let lastLogged = 0;
      const status = await this.transfers.transfer(origin, target, subject, async (bytes) => {
        // The total is not known up front: progress creeps towards 95 % as bytes go.
        await progress(Math.min(95, 95 * (1 - 1 / (1 + bytes / 256e6))));
        if (bytes - lastLogged >= 256 * 1024 * 1024) {
          lastLogged = bytes;
          await log(`${formatBytes(bytes)} sent`);
        }
      });
      await this.templateHosts.setState(templateId, hostId, 'ready', {
        versionNumber: latest.number,
      });
      await log(`host ${target.name} holds ${latest.version}: ${formatBytes(status.bytes)} sent`);
      return { templateId, hostId, version: latest.version, bytes: status.bytes };
    } catch (error) {
      await this.templateHosts.setState(templateId, hostId, 'failed', {
        error: (error as Error).message,
      });
      throw error;
    }
  }
}

function formatBytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
