import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName } from '@branchpoint/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
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
import { paginate, type Page, type PageQueryDto } from '../common/pagination.js';
import { SecretBox } from '../common/secret-box.js';
import { Point } from '../database/entities/point.entity.js';
import { Preview } from '../database/entities/preview.entity.js';
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
import { firstRows, listTables, withReader, type ReaderTarget } from './preview-reader.js';

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
    if (target.container.state === 'deleting')
      throw new ConflictException(
        'container.busy',
        `container ${target.container.id} is being deleted`,
      );
    const id = randomUUID();
    const minutes = dto.minutes ?? PREVIEW_MINUTES.default;
    await this.previews.insert({
      id,
      userId: user.id,
      hostId: target.container.hostId,
      containerId: target.container.id,
      branchId: target.branchId,
      pointId: target.pointId,
      bookmarkId: dto.bookmarkId ?? null,
      state: 'creating',
      password: this.secrets.seal(randomBytes(24).toString('base64url')),
      endpoints: [],
      error: null,
      expiresAt: new Date(Date.now() + minutes * 60_000),
    });
    const accepted = await this.jobs.start(
      JobName.CreatePreview,
      { previewId: id },
      { userId: user.id },
      {
        action: 'preview.create',
        entityType: 'preview',
        entityId: id,
        details: { containerId: target.container.id, pointId: target.pointId, minutes },
      },
    );
    return { ...accepted, id };
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

  /** Its clone on the host, then its row (a failed host call leaves the row for the sweep). */
  async destroy(preview: Pick<Preview, 'id' | 'hostId'>): Promise<void> {
    await (await this.agents.forHostOf(preview)).deletePreview(preview.id);
    await this.previews.delete({ id: preview.id });
  }

  async tables(user: CurrentUser, id: string): Promise<PreviewTableDto[]> {
    return this.read(user, id, listTables);
  }

  async rows(user: CurrentUser, id: string, name: string, limit?: number): Promise<PreviewRowsDto> {
    const found = await this.read(user, id, (client) =>
      firstRows(client, name, limit ?? PREVIEW_ROWS.default),
    );
    if (!found) throw new NotFoundException('preview', `${id} table ${name}`);
    return { name, ...found };
  }

  private async read<T>(user: CurrentUser, id: string, work: Parameters<typeof withReader<T>>[1]) {
    const preview = await this.owned(user, id);
    const endpoint = preview.endpoints[0];
    if (preview.state !== 'ready' || !endpoint)
      throw new ConflictException('preview.not-ready', `preview ${id} is ${preview.state}`);
    const agent = await this.agents.forHostOf(preview);
    const target: ReaderTarget = {
      host: endpoint.host,
      port: endpoint.port,
      database: endpoint.database ?? 'postgres',
      user: endpoint.username,
      password: this.secrets.open(preview.password),
      ca: (await agent.cloneCa()).certificate,
    };
    return withReader(target, work);
  }

  private async owned(user: CurrentUser, id: string): Promise<Preview> {
    const preview = await this.previews.findOneBy({ id });
    if (!preview || (preview.userId !== user.id && !isAdmin(user)))
      throw new NotFoundException('preview', id);
    return preview;
  }

  private async bookmarkTarget(user: CurrentUser, bookmarkId: string) {
    const { bookmark, container } = await this.access.visibleBookmark(user, bookmarkId);
    return { container, branchId: bookmark.branchId, pointId: bookmark.pointId };
  }

  private async pointTarget(user: CurrentUser, pointId: string) {
    const point = await this.points.findOneBy({ id: pointId });
    if (!point) throw new NotFoundException('point', pointId);
    const container = await this.access.ownedContainer(user, point.containerId).catch(() => {
      throw new NotFoundException('point', pointId);
    });
    return { container, branchId: point.branchId, pointId: point.id };
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
      endpoints: preview.endpoints.map((endpoint) => {
        const database = endpoint.database ?? 'postgres';
        return {
          source: endpoint.source,
          host: endpoint.host,
          port: endpoint.port,
          database: endpoint.database,
          username: endpoint.username,
          password,
          connectionString: `postgres://${encodeURIComponent(endpoint.username)}:${encodeURIComponent(password)}@${endpoint.host}:${endpoint.port}/${encodeURIComponent(database)}?sslmode=require`,
        };
      }),
    };
  }
}
