import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName, type SourceKind } from '@branchpoint/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Repository } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AgentsService } from '../agents/agents.service.js';
import { AuditService } from '../audit/audit.service.js';
import {
  BadInputException,
  ConflictException,
  NotFoundException,
} from '../common/app.exception.js';
import { isAdmin, type CurrentUser } from '../common/current-user.js';
import { clientAccess } from '../common/engines.js';
import { paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { SecretBox } from '../common/secret-box.js';
import { Bookmark } from '../database/entities/bookmark.entity.js';
import { Container } from '../database/entities/container.entity.js';
import { Host } from '../database/entities/host.entity.js';
import { Point } from '../database/entities/point.entity.js';
import { Preview, type PreviewEndpoint } from '../database/entities/preview.entity.js';
import { TemplateSource } from '../database/entities/template-source.entity.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import {
  PREVIEW_MINUTES,
  PREVIEW_ROWS,
  type CreatePreviewDto,
  type PreviewDto,
  type PreviewRowsDto,
  type PreviewTableDto,
} from './dto/preview.dto.js';
import { sessionTarget, withSession, type SessionTarget } from './preview-reader.js';
import { SESSION_KINDS } from './engine-session.js';
import { browse, type TableBrowser } from './table-browser.js';

/** One server of a preview, as its reader reaches it. */
export interface ReaderSession {
  /** The template source's name. */
  source: string;
  kind: SourceKind;
  target: SessionTarget;
}

/** What a preview serves: a point of a container (through a bookmark or not). */
export interface PreviewTarget {
  container: Container;
  branchId: string;
  pointId: string;
  bookmarkId: string | null;
}

/**
 * Previews: a bookmark or point served read-only for a limited time, on its own clone, so one
 * can look before restoring. Whoever may see the bookmark (or owns the point's container) may
 * preview it; a preview is its creator's (and admins').
 */
@Injectable()
export class PreviewsService {
  constructor(
    @InjectRepository(Preview) private readonly previews: Repository<Preview>,
    @InjectRepository(Point) private readonly points: Repository<Point>,
    @InjectRepository(Bookmark) private readonly bookmarks: Repository<Bookmark>,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    @InjectRepository(Host) private readonly hosts: Repository<Host>,
    @InjectRepository(TemplateSource) private readonly sources: Repository<TemplateSource>,
    private readonly access: AccessService,
    private readonly agents: AgentsService,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
  ) {}

  async create(user: CurrentUser, dto: CreatePreviewDto): Promise<AcceptedJobDto> {
    if (!dto.bookmarkId === !dto.pointId)
      throw new BadInputException('preview.invalid', 'give exactly one of bookmarkId and pointId');
    const target = dto.bookmarkId
      ? await this.bookmarkTarget(user, dto.bookmarkId)
      : await this.pointTarget(user, dto.pointId!);
    const minutes = dto.minutes ?? PREVIEW_MINUTES.default;
    const preview = await this.open(user.id, target, minutes);
    const accepted = await this.jobs.start(
      JobName.CreatePreview,
      { previewId: preview.id },
      { userId: user.id },
      {
        action: 'preview.create',
        entityType: 'preview',
        entityId: preview.id,
        details: { containerId: target.container.id, pointId: target.pointId, minutes },
      },
    );
    return { ...accepted, id: preview.id };
  }

  /** A bookmark (visible to the user) or a point (of a container the user owns), by id. */
  async target(user: CurrentUser, id: string): Promise<PreviewTarget> {
    if (await this.bookmarks.existsBy({ id })) return this.bookmarkTarget(user, id);
    return this.pointTarget(user, id);
  }

  /** Records a preview of the target, to be served by serve() (its sweep ends it after `minutes`). */
  async open(userId: string, target: PreviewTarget, minutes: number): Promise<Preview> {
    if (target.container.state === 'deleting')
      throw new ConflictException(
        'container.busy',
        `container ${target.container.id} is being deleted`,
      );
    const preview = this.previews.create({
      id: randomUUID(),
      userId,
      hostId: target.container.hostId,
      containerId: target.container.id,
      branchId: target.branchId,
      pointId: target.pointId,
      bookmarkId: target.bookmarkId,
      state: 'creating',
      password: this.secrets.seal(randomBytes(24).toString('base64url')),
      endpoints: [],
      error: null,
      expiresAt: new Date(Date.now() + minutes * 60_000),
    });
    return this.previews.save(preview);
  }

  /** Clones the point on its host and starts its read-only servers; the row learns the endpoints. */
  async serve(previewId: string): Promise<Preview> {
    const preview = await this.previews.findOneBy({ id: previewId });
    if (!preview) throw new NotFoundException('preview', previewId);
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
      const sources = new Map(
        (await this.sources.findBy({ templateId: container.templateId })).map((s) => [s.id, s]),
      );
      preview.endpoints = status.endpoints.map((endpoint) => ({
        sourceId: endpoint.sourceId,
        source: sources.get(endpoint.sourceId)?.name ?? endpoint.sourceId,
        kind: sources.get(endpoint.sourceId)?.kind ?? 'postgres',
        host: new URL(host.url).hostname,
        port: endpoint.port,
        database: endpoint.database,
        username: endpoint.username,
      }));
      preview.state = 'ready';
      preview.error = null;
      await this.previews.update(preview.id, {
        state: 'ready',
        endpoints: preview.endpoints,
        error: null,
      });
      return preview;
    } catch (error) {
      await this.previews.update(preview.id, { state: 'failed', error: String(error) });
      throw error;
    }
  }

  /** A page of my previews (everyone's, for admins), newest first. */
  async list(user: CurrentUser, page: PageQueryDto): Promise<Page<PreviewDto>> {
    const query = this.previews.createQueryBuilder('p');
    if (!isAdmin(user)) query.where('p.userId = :userId', { userId: user.id });
    return (await paginate(query, page, { direction: 'DESC' })).map((rows) =>
      rows.map((row) => this.toDto(row)),
    );
  }

  async get(user: CurrentUser, id: string): Promise<PreviewDto> {
    return this.toDto(await this.owned(user, id));
  }

  /** Destroys the preview on its host now (the sweep would at its time). */
  async delete(user: CurrentUser, id: string): Promise<void> {
    const preview = await this.owned(user, id);
    await this.destroy(preview);
    await this.audit.record(user.id, 'preview.delete', 'preview', id, {});
  }

  /** Ends every preview of the container's points (a container with previews cannot go). */
  async endForContainer(containerId: string): Promise<void> {
    for (const preview of await this.previews.findBy({ containerId })) await this.destroy(preview);
  }

  /** Its clone on the host, then its row (a failed host call leaves the row for the sweep). */
  async destroy(preview: Pick<Preview, 'id' | 'hostId'>): Promise<void> {
    await (await this.agents.forHostOf(preview)).deletePreview(preview.id);
    await this.previews.delete({ id: preview.id });
  }

  async tables(user: CurrentUser, id: string): Promise<PreviewTableDto[]> {
    return this.browse(user, id, (browser) => browser.listTables());
  }

  async rows(user: CurrentUser, id: string, name: string, limit?: number): Promise<PreviewRowsDto> {
    const found = await this.browse(user, id, (browser) =>
      browser.firstRows(name, limit ?? PREVIEW_ROWS.default),
    );
    if (!found) throw new NotFoundException('preview', `${id} table ${name}`);
    return { name, ...found };
  }

  /** Runs `work` with a table browser of the preview's first server that has tables. */
  private async browse<T>(
    user: CurrentUser,
    id: string,
    work: (browser: TableBrowser) => Promise<T>,
  ): Promise<T> {
    const [first] = await this.readerSessions(await this.owned(user, id), SESSION_KINDS);
    return browse(first!.kind, first!.target, work);
  }

  /**
   * Runs `work` in a session of the preview's (first) PostgreSQL server as its reader: rebase
   * replays PostgreSQL.
   */
  async withReader<T>(preview: Preview, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const [first] = await this.readerSessions(preview, ['postgres']);
    return withSession(first!.target, work);
  }

  /**
   * Where the preview's servers of these engines are read as its reader, in source order; 409
   * until it is ready, or when it serves none of them (never an empty list).
   */
  async readerSessions(preview: Preview, kinds: readonly SourceKind[]): Promise<ReaderSession[]> {
    if (preview.state !== 'ready')
      throw new ConflictException('preview.not-ready', `preview ${preview.id} is ${preview.state}`);
    const served = preview.endpoints.filter((endpoint) => kinds.includes(kindOf(endpoint)));
    if (served.length === 0)
      throw new ConflictException(
        'preview.no-server',
        `preview ${preview.id} serves no ${kinds.join(' or ')} source`,
      );
    const ca = (await (await this.agents.forHostOf(preview)).cloneCa()).certificate;
    const password = this.secrets.open(preview.password);
    return served.map((endpoint) => ({
      source: endpoint.source,
      kind: kindOf(endpoint),
      target: sessionTarget(endpoint, password, ca),
    }));
  }

  private async owned(user: CurrentUser, id: string): Promise<Preview> {
    const preview = await this.previews.findOneBy({ id });
    if (!preview || (preview.userId !== user.id && !isAdmin(user)))
      throw new NotFoundException('preview', id);
    return preview;
  }

  private async bookmarkTarget(user: CurrentUser, bookmarkId: string): Promise<PreviewTarget> {
    const { bookmark, container } = await this.access.visibleBookmark(user, bookmarkId);
    return { container, branchId: bookmark.branchId, pointId: bookmark.pointId, bookmarkId };
  }

  private async pointTarget(user: CurrentUser, pointId: string): Promise<PreviewTarget> {
    const point = await this.points.findOneBy({ id: pointId });
    if (!point) throw new NotFoundException('point', pointId);
    const container = await this.access.ownedContainer(user, point.containerId).catch(() => {
      throw new NotFoundException('point', pointId);
    });
    return { container, branchId: point.branchId, pointId: point.id, bookmarkId: null };
  }

  private toDto(preview: Preview): PreviewDto {
    const password = this.secrets.open(preview.password);
    return {
      id: preview.id,
      state: preview.state,
      containerId: preview.containerId,
      branchId: preview.branchId,
      pointId: preview.pointId,
      bookmarkId: preview.bookmarkId,
      expiresAt: preview.expiresAt.toISOString(),
      createdAt: preview.createdAt.toISOString(),
      error: preview.error,
      endpoints: preview.endpoints.map((endpoint) => ({
        source: endpoint.source,
        kind: kindOf(endpoint),
        host: endpoint.host,
        port: endpoint.port,
        database: endpoint.database,
        username: endpoint.username,
        password,
        connectionString: clientAccess({ ...endpoint, kind: kindOf(endpoint) }, password)
          .connectionString,
      })),
    };
  }
}

/** Rows written before previews served engines other than PostgreSQL have no kind. */
const kindOf = (endpoint: PreviewEndpoint): SourceKind => endpoint.kind ?? 'postgres';
