import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PeriodicTask } from '../common/periodic-task.js';
import { In, type Repository } from 'typeorm';
import { AgentsService } from '../agents/agents.service.js';
import { classifyInventory } from '../agents/inventory.js';
import { Branch } from '../branches/branch.entity.js';
import { AppConfig } from '../config/app-config.js';
import { Container } from '../containers/container.entity.js';
import type { Host } from '../hosts/host.entity.js';
import { HostsService } from '../hosts/hosts.service.js';
import { Template } from '../templates/template.entity.js';
import type { ReconciliationReportDto } from './reconciliation.dto.js';

/**
 * Compares the metadata with what each agent holds. Drift is reported; datasets of templates or
 * containers the metadata does not know are destroyed once they stayed unknown for the grace
 * period (a job may be creating them right now), unless a branch still names them as origin.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationService.name);
  private readonly firstSeen = new Map<string, number>();
  private readonly reports = new Map<string, ReconciliationReportDto>();
  private readonly periodic = new PeriodicTask('reconciliation', this.logger);

  constructor(
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Template) private readonly templates: Repository<Template>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    private readonly hosts: HostsService,
    private readonly agents: AgentsService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    this.periodic.start(() => this.reconcileAll(), this.config.reconcileIntervalMs, 1_000);
  }

  onApplicationShutdown(): void {
    this.periodic.stop();
  }

  lastReports(): ReconciliationReportDto[] {
    return [...this.reports.values()];
  }

  async reconcileAll(): Promise<ReconciliationReportDto[]> {
    for (const host of await this.hosts.all())
      this.reports.set(host.id, await this.reconcile(host));
    return this.lastReports();
  }

  private async reconcile(host: Host): Promise<ReconciliationReportDto> {
    const report: ReconciliationReportDto = {
      hostId: host.id,
      host: host.name,
      checkedAt: new Date(),
      error: null,
      missingOnAgent: [],
      orphans: [],
      cleaned: [],
    };
    let owned;
    try {
      owned = classifyInventory(await this.agents.client(host).inventory());
    } catch (error) {
      report.error = (error as Error).message;
      return report;
    }
    const onAgent = new Set(owned.filter((o) => o.isTop).map((o) => `${o.kind}:${o.ownerId}`));
    const known = new Set<string>();
    for (const c of await this.containers.findBy({ hostId: host.id })) {
      known.add(`container:${c.id}`);
      if (c.state === 'ready' && !onAgent.has(`container:${c.id}`))
        report.missingOnAgent.push(`container ${c.id} ("${c.name}")`);
    }
    for (const t of await this.templates.findBy({ hostId: host.id })) known.add(`template:${t.id}`);
    const orphanKeys = [...onAgent].filter((key) => !known.has(key));
    const referenced = new Set(
      (
        await this.branches.findBy({
          originContainerId: In(orphanKeys.map((k) => k.split(':')[1]!)),
        })
      ).map((b) => `container:${b.originContainerId}`),
    );
    const now = Date.now();
    for (const key of orphanKeys) {
      report.orphans.push(key);
      const seen = this.firstSeen.get(key) ?? now;
      this.firstSeen.set(key, seen);
      if (now - seen < this.config.orphanGraceMs || referenced.has(key)) continue;
      const [kind, id] = key.split(':') as ['container' | 'template', string];
      try {
        const agent = this.agents.client(host);
        await (kind === 'container' ? agent.deleteContainer(id) : agent.deleteTemplate(id));
        report.cleaned.push(key);
        this.firstSeen.delete(key);
      } catch (error) {
        this.logger.warn(
          `could not clean orphaned ${kind} ${id} on ${host.name}: ${(error as Error).message}`,
        );
      }
    }
    if (report.missingOnAgent.length > 0 || report.orphans.length > 0) {
      this.logger.warn(
        `drift on host ${host.name}: missing ${report.missingOnAgent.length}, orphaned ${report.orphans.length}, cleaned ${report.cleaned.length}`,
      );
    }
    return report;
  }
}
