import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { JobView } from '@branchpoint/contracts';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { JobDto, JobQueryDto } from './dto/job.dto.js';
import { JobsService } from './jobs.service.js';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiPage(JobDto)
  list(@AuthUser() user: CurrentUser, @Query() query: JobQueryDto): Promise<Page<JobView>> {
    return this.jobs.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: JobDto })
  get(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<JobView> {
    return this.jobs.get(user, id);
  }
}
