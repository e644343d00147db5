import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { BadInputException } from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { Schedule } from '../database/entities/schedule.entity.js';
import type { PutScheduleDto, ScheduleDto } from './dto/schedule.dto.js';
import { cronProblem, nextActions, timeZoneProblem } from './schedule.js';

/** Whose schedule a row is: one container's, or a user's default. */
type Owner = { containerId: string } | { userId: string };

/** Container schedules and users' defaults: reading and changing them (the sweep acts on them). */
@Injectable()
export class SchedulesService {
  constructor(
    @InjectRepository(Schedule) private readonly schedules: Repository<Schedule>,
    private readonly access: AccessService,
  ) {}

  /** The schedule that applies to a container: its own, else its first owner's default. */
  async forContainer(user: CurrentUser, id: string, now = new Date()): Promise<ScheduleDto> {
    const { container } = await this.access.visibleContainer(user, id);
    const own = await this.schedules.findOneBy({ containerId: id });
    if (own) return toDto(own, 'container', now);
    const ownerDefault = await this.schedules.findOneBy({ userId: container.ownerIds[0]! });
    return toDto(ownerDefault, 'user', now);
  }

  async setForContainer(user: CurrentUser, id: string, dto: PutScheduleDto): Promise<ScheduleDto> {
    await this.access.ownedContainer(user, id);
    return toDto(await this.save({ containerId: id }, dto), 'container', new Date());
  }

  /** Back to the owner's default, if any. */
  async removeForContainer(user: CurrentUser, id: string): Promise<void> {
    await this.access.ownedContainer(user, id);
    await this.schedules.delete({ containerId: id });
  }

  /** The user's default for the containers they own that have no schedule of their own. */
  async forUser(user: CurrentUser): Promise<ScheduleDto> {
    return toDto(await this.schedules.findOneBy({ userId: user.id }), 'user', new Date());
  }

  async setForUser(user: CurrentUser, dto: PutScheduleDto): Promise<ScheduleDto> {
    return toDto(await this.save({ userId: user.id }, dto), 'user', new Date());
  }

  async removeForUser(user: CurrentUser): Promise<void> {
    await this.schedules.delete({ userId: user.id });
  }

  /** Creates or replaces; occurrences before now are not acted on (the sweep starts from now). */
  private async save(owner: Owner, dto: PutScheduleDto): Promise<Schedule> {
    const stop = dto.stop?.trim() || null;
    const start = dto.start?.trim() || null;
    const problems = [
      stop === null && start === null ? 'give stop, start or both' : null,
      stop && cronProblem(stop),
      start && cronProblem(start),
      timeZoneProblem(dto.timeZone),
    ].filter((problem) => problem);
    if (problems.length > 0) throw new BadInputException('request.invalid', problems.join('; '));
    const existing = await this.schedules.findOneBy(owner);
    return this.schedules.save({
      id: existing?.id ?? randomUUID(),
      containerId: null,
      userId: null,
      ...owner,
      stop,
      start,
      timeZone: dto.timeZone,
      checkedAt: new Date(),
    });
  }
}

function toDto(schedule: Schedule | null, scope: 'container' | 'user', now: Date): ScheduleDto {
  if (!schedule)
    return {
      scope: 'none',
      stop: null,
      start: null,
      timeZone: null,
      nextStopAt: null,
      nextStartAt: null,
    };
  const next = nextActions(schedule, now);
  return {
    scope,
    stop: schedule.stop,
    start: schedule.start,
    timeZone: schedule.timeZone,
    nextStopAt: next.nextStopAt?.toISOString() ?? null,
    nextStartAt: next.nextStartAt?.toISOString() ?? null,
  };
}
