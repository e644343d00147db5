import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { BadInputException } from '../common/app.exception.js';
import { paginate, type Page } from '../common/pagination.js';
import { AuditEvent } from '../database/entities/audit-event.entity.js';
import type { AuditQueryDto } from './audit.dto.js';

/** Records who did what; written by the services, read by admins. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async record(
    userId: string | null,
    action: string,
    entityType: string,
    entityId: string | null,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    // A plain INSERT: save would look the new id up first, in a transaction (every operation's
    // request waits for this line).
    await this.events.insert(
      this.events.create({
        id: randomUUID(),
        userId,
        action,
        entityType,
        entityId,
        details,
      }) as Parameters<typeof this.events.insert>[0],
    );
  }

  /** Newest first, one page. */
  list(query: AuditQueryDto): Promise<Page<AuditEvent>> {
    if (query.offset && query.cursor)
      throw new BadInputException('request.invalid', 'give cursor or offset, not both');
    const events = this.events.createQueryBuilder('e');
    if (query.offset) events.offset(query.offset);
    return paginate(events, query, { direction: 'DESC' });
  }
}
