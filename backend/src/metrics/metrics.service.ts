import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { MetricsRegistry } from '../common/metrics.registry.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { HostsService } from '../hosts/hosts.service.js';
import { JobsService } from '../jobs/jobs.service.js';

@Injectable()
export class MetricsService {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly jobs: JobsService,
    private readonly hosts: HostsService,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
  ) {}

  /** The Prometheus text exposition, with gauges read from the metadata now. */
  async render(): Promise<{ contentType: string; body: string }> {
    const m = this.metrics;
    m.jobs.reset();
    for (const row of await this.jobs.countsByState())
      m.jobs.set({ type: row.type, state: row.state }, row.count);
    m.containers.reset();
    const byState = await this.containers
      .createQueryBuilder('c')
      .select('c.state', 'state')
      .addSelect('COUNT(*)::int', 'count')
      .groupBy('c.state')
      .getRawMany<{ state: string; count: number }>();
    for (const row of byState) m.containers.set({ state: row.state }, row.count);
    m.branches.set(await this.branches.count());
    m.poolBytes.reset();
    m.hostUp.reset();
    for (const host of await this.hosts.all()) {
      m.hostUp.set({ host: host.name }, host.status === 'up' ? 1 : 0);
      if (!host.capacity) continue;
      m.poolBytes.set({ host: host.name, kind: 'size' }, host.capacity.sizeBytes);
      m.poolBytes.set({ host: host.name, kind: 'free' }, host.capacity.freeBytes);
      m.poolBytes.set({ host: host.name, kind: 'used' }, host.capacity.usedBytes);
    }
    return { contentType: m.registry.contentType, body: await m.registry.metrics() };
  }
}
