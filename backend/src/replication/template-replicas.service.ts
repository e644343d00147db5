import { Injectable } from '@nestjs/common';
import { HostsService } from '../hosts/hosts.service.js';
import { TemplateHostsService } from '../templates/template-hosts.service.js';
import { TemplatesService } from '../templates/templates.service.js';
import { formatBytes, TransfersService, type StepLog } from './transfers.service.js';

/** What a replication did: the version the host holds now and the bytes sent for it. */
export type ReplicaResult =
  | { templateId: string; hostId: string; skipped: true }
  | { templateId: string; hostId: string; version: string; bytes: number };

/** Template versions on hosts other than the one they were ingested on. */
@Injectable()
export class TemplateReplicas {
  constructor(
    private readonly templates: TemplatesService,
    private readonly templateHosts: TemplateHostsService,
    private readonly hosts: HostsService,
    private readonly transfers: TransfersService,
  ) {}

  /**
   * Brings an added host up to the template's newest ready version: `zfs send` of the whole
   * template when the host holds none yet, else of the increment from the newest version it
   * holds (every version in between comes along). A repeat sends what is still missing.
   */
  async bringUpToDate(templateId: string, hostId: string, step: StepLog): Promise<ReplicaResult> {
    const template = await this.templates.template(templateId);
    const row = await this.templateHosts.find(templateId, hostId);
    const latest = await this.templates.latestReadyVersion(templateId);
    if (!row || row.state === 'removing' || !latest) {
      await step.log(
        'nothing to send: the host was taken off the template, or it has no ready version',
      );
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
    await step.log(
      `sending template ${template.name} ${subject.from ? `${subject.from} → ${subject.to} (increment)` : `${subject.to} (whole)`} from host ${origin.name} to ${target.name}`,
    );
    try {
      const status = await this.transfers.transfer(origin, target, subject, step);
      await this.templateHosts.setState(templateId, hostId, 'ready', {
        versionNumber: latest.number,
      });
      await step.log(
        `host ${target.name} holds ${latest.version}: ${formatBytes(status.bytes)} sent`,
      );
      return { templateId, hostId, version: latest.version, bytes: status.bytes };
    } catch (error) {
      await this.templateHosts.setState(templateId, hostId, 'failed', {
        error: (error as Error).message,
      });
      throw error;
    }
  }

  /** Makes sure the host holds `version` (`v<n>`) of the template, replicating when it lacks it. */
  async ensureVersion(
    templateId: string,
    hostId: string,
    version: string,
    step: StepLog,
  ): Promise<void> {
    const template = await this.templates.template(templateId);
    if (template.hostId === hostId) return;
    const row = await this.templateHosts.find(templateId, hostId);
    if (row && row.versionNumber !== null && row.versionNumber >= Number(version.slice(1))) return;
    if (!row) await this.templateHosts.add(templateId, hostId);
    const result = await this.bringUpToDate(templateId, hostId, step);
    if ('skipped' in result)
      throw new Error(`template ${template.name} ${version} could not be sent to host ${hostId}`);
  }
}
