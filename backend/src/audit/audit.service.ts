import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { AuditEvent } from '../database/entities/audit-event.entity.js';

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
    await this.events.save(
      this.events.create({ id: randomUUID(), userId, action, entityType, entityId, details }),
    );
  }

  list(limit: number, offset: number): Promise<AuditEvent[]> {
    return this.events.find({ order: { createdAt: 'DESC' }, take: limit, skip: offset });
  }
}
