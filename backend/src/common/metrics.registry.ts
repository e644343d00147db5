import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The control plane's Prometheus metrics; gauges are filled when scraped (MetricsService). */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  readonly jobDuration = new Histogram({
    name: 'branchpoint_job_duration_seconds',
    help: 'Duration of operations by job type and final state',
    labelNames: ['type', 'state'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800],
    registers: [this.registry],
  });

  readonly jobs = new Gauge({
    name: 'branchpoint_jobs',
    help: 'Recorded jobs by type and state',
    labelNames: ['type', 'state'],
    registers: [this.registry],
  });
  readonly containers = new Gauge({
    name: 'branchpoint_containers',
    help: 'Containers by state',
    labelNames: ['state'],
    registers: [this.registry],
  });
  readonly branches = new Gauge({
    name: 'branchpoint_branches',
    help: 'Branches (clones) of all containers',
    registers: [this.registry],
  });
  readonly poolBytes = new Gauge({
    name: 'branchpoint_pool_bytes',
    help: 'ZFS pool space per host',
    labelNames: ['host', 'kind'],
    registers: [this.registry],
  });
  readonly hostUp = new Gauge({
    name: 'branchpoint_host_up',
    help: '1 when the host answered its last health poll',
    labelNames: ['host'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'branchpoint_process_' });
  }
}
