import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { AgentResourceMissingException } from '../agents/agent.exception.js';
import { AgentsService } from '../agents/agents.service.js';
import { CatalogChanges, type CatalogChange } from '../common/catalog-changes.js';
import { PeriodicTask } from '../common/periodic-task.js';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Branch } from '../database/entities/branch.entity.js';
import { Container } from '../database/entities/container.entity.js';
import type { Host } from '../database/entities/host.entity.js';
import { Point } from '../database/entities/point.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { Template } from '../database/entities/template.entity.js';
import { User } from '../database/entities/user.entity.js';
import { HostsService } from '../hosts/hosts.service.js';
import { readHostState } from '../reconciliation/host-state.js';
import { mirrorWrites, type MirrorRows } from './catalog-mirror.js';

/** Changes waiting for the next mirror of a host. */
interface Batch {
  containerIds: Set<string>;
  templateIds: Set<string>;
  done: Promise<number>;
}

/** Only these objects of a host (after changes), or everything (the periodic round). */
interface Only {
  containerIds: string[];
  templateIds: string[];
}

/**
 * Keeps a copy of what only the catalog knows (names, owners, sharing, point types, bookmark
 * fields) on the hosts, in `branchpoint:catalog` of each object's dataset, so that recovery can
 * rebuild a lost catalog. Runs every BP_CATALOG_MIRROR_MS on the worker, and for one container
 * or template right after a job or an edit changed it. Writes only records that differ.
 */
@Injectable()
export class CatalogMirrorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CatalogMirrorService.name);
  private readonly periodic = new PeriodicTask('catalog mirror', this.logger);
  /** Per host: the batch of changes still to mirror, and the mirror that runs now. */
  private readonly batches = new Map<string, Batch>();
  private readonly running = new Map<string, Promise<number>>();

  constructor(
    @InjectRepository(Template) private readonly templates: Repository<Template>,
    @InjectRepository(TemplateSource) private readonly sources: Repository<TemplateSource>,
    @InjectRepository(TemplateVersion) private readonly versions: Repository<TemplateVersion>,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
    @InjectRepository(Point) private readonly points: Repository<Point>,
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hosts: HostsService,
    private readonly agents: AgentsService,
    private readonly config: AppConfig,
    private readonly secrets: SecretBox,
    changes: CatalogChanges,
  ) {
    changes.listen(async (change) => void (await this.mirrorChange(change)));
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    this.periodic.start(() => this.mirrorAll(), this.config.catalogMirrorMs, 5_000);
  }

  onApplicationShutdown(): void {
    this.periodic.stop();
  }

  /** Every host; returns how many records were written. A host that fails is logged, the others go on. */
  async mirrorAll(): Promise<number> {
    let written = 0;
    for (const host of await this.hosts.all()) {
      written += await this.mirror(host, null).catch((error: unknown) => {
        this.logger.warn(`catalog mirror of host ${host.name}: ${String(error)}`);
        return 0;
      });
    }
    return written;
  }

  /** The records of one container, its branches and points (after a job or an edit). */
  async mirrorContainer(containerId: string): Promise<number> {
    const container = await this.containers.findOneBy({ id: containerId });
    return container ? this.batched(container.hostId, { containerId }) : 0;
  }

  /** The records of one template and its versions. */
  async mirrorTemplate(templateId: string): Promise<number> {
    const template = await this.templates.findOneBy({ id: templateId });
    return template ? this.batched(template.hostId, { templateId }) : 0;
  }

  private mirrorChange(change: CatalogChange): Promise<number> {
    return 'containerId' in change
      ? this.mirrorContainer(change.containerId)
      : this.mirrorTemplate(change.templateId);
  }

  /**
   * One mirror at a time per host, each reading the inventory once: changes that arrive while
   * one runs are mirrored together right after it (jobs end in bursts, and the inventory of a
   * large host takes a while).
   */
  private batched(hostId: string, change: CatalogChange): Promise<number> {
    let batch = this.batches.get(hostId);
    if (!batch) {
      const next: Batch = { containerIds: new Set(), templateIds: new Set(), done: null! };
      next.done = (this.running.get(hostId) ?? Promise.resolve())
        .catch(() => undefined)
        .then(async () => {
          this.batches.delete(hostId);
          return this.mirror(await this.hosts.get(hostId), {
            containerIds: [...next.containerIds],
            templateIds: [...next.templateIds],
          });
        });
      this.batches.set(hostId, (batch = next));
      this.running.set(hostId, next.done);
    }
    if ('containerId' in change) batch.containerIds.add(change.containerId);
    else batch.templateIds.add(change.templateId);
    return batch.done;
  }

  private async mirror(host: Host, only: Only | null): Promise<number> {
    const agent = this.agents.client(host);
    const state = readHostState(await agent.inventory());
    const rows = await this.rowsOf(host, only);
    const names = await this.usernames(rows);
    const { writes, tooLarge } = mirrorWrites(state, rows, (id) => names.get(id) ?? '');
    for (const dataset of tooLarge)
      this.logger.warn(`catalog record of ${dataset} is too large for the host; not mirrored`);
    for (const write of writes) {
      // The object may be gone since the inventory was read (a job deleted it): nothing to keep.
      await agent.putCatalogRecord(write).catch((error: unknown) => {
        if (!(error instanceof AgentResourceMissingException)) throw error;
      });
    }
    return writes.length;
  }

  private async rowsOf(host: Host, only: Only | null): Promise<MirrorRows> {
    const templates =
      only?.templateIds.length === 0
        ? []
        : await this.templates.findBy(only ? { id: In(only.templateIds) } : { hostId: host.id });
    const containers =
      only?.containerIds.length === 0
        ? []
        : await this.containers.findBy(only ? { id: In(only.containerIds) } : { hostId: host.id });
    const templateIds = templates.map((t) => t.id);
    const containerIds = containers.map((c) => c.id);
    const [sources, versions, branches, points, bookmarks] = await Promise.all([
      this.sources.find({ where: { templateId: In(templateIds) }, order: { position: 'ASC' } }),
      this.versions.find({ where: { templateId: In(templateIds) }, order: { number: 'ASC' } }),
      this.branches.findBy({ containerId: In(containerIds) }),
      this.points.findBy({ containerId: In(containerIds) }),
      this.bookmarks.findBy({ containerId: In(containerIds) }),
    ]);
    // Grouped once: filtering every point for each container stalls the event loop for seconds
    // on a large host (1,000 containers, 100,000 points).
    const branchesOf = byContainer(branches);
    const pointsOf = byContainer(points);
    const bookmarksOf = byContainer(bookmarks);
    return {
      templates: templates.map((template) => ({
        template,
        // Opened here; the record keeps only the address (withoutPassword).
        sources: sources
          .filter((s) => s.templateId === template.id)
          .map((s) => ({ ...s, connectionString: this.secrets.open(s.connectionString) })),
        versions: versions.filter((v) => v.templateId === template.id && v.state === 'ready'),
      })),
      containers: containers.map((container) => ({
        container,
        branches: branchesOf.get(container.id) ?? [],
        points: pointsOf.get(container.id) ?? [],
        bookmarks: bookmarksOf.get(container.id) ?? [],
      })),
    };
  }

  private async usernames(rows: MirrorRows): Promise<Map<string, string>> {
    const ids = new Set<string>();
    for (const { template } of rows.templates) ids.add(template.createdById);
    for (const c of rows.containers) {
      c.container.ownerIds.forEach((id) => ids.add(id));
      c.branches.forEach((b) => ids.add(b.createdById));
      for (const b of c.bookmarks) [b.creatorId, ...b.sharedWith].forEach((id) => ids.add(id));
    }
    if (ids.size === 0) return new Map();
    const users = await this.users.findBy({ id: In([...ids]) });
    return new Map(users.map((u) => [u.id, u.username]));
  }
}

/** Rows by their container's id. */
function byContainer<T extends { containerId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.containerId);
    if (group) group.push(row);
    else groups.set(row.containerId, [row]);
  }
  return groups;
}
