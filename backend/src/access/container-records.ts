import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { NotFoundException } from '../common/app.exception.js';
import { Container } from '../database/entities/container.entity.js';

/** Container rows for jobs, which act for a user already checked when the job was queued. */
@Injectable()
export class ContainerRecords {
  constructor(@InjectRepository(Container) private readonly containers: Repository<Container>) {}

  async get(id: string): Promise<Container> {
    const container = await this.containers.findOneBy({ id });
    if (!container) throw new NotFoundException('container', id);
    return container;
  }

  async update(id: string, changes: Partial<Container>): Promise<void> {
    await this.containers.update(id, changes);
  }
}
