import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { UuidParam } from '../common/uuid-param.js';
import { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { DiffsService } from './diffs.service.js';
import { CreateDiffDto, DiffDto } from './dto/diff.dto.js';

@ApiTags('diffs')
@ApiBearerAuth()
@Controller('diffs')
export class DiffsController {
  constructor(private readonly diffs: DiffsService) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto, description: '`id` is the new diff' })
  create(@AuthUser() user: CurrentUser, @Body() dto: CreateDiffDto): Promise<AcceptedJobDto> {
    return this.diffs.create(user, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: DiffDto })
  get(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<DiffDto> {
    return this.diffs.get(user, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'forgets the diff; a running one stops' })
  delete(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.diffs.delete(user, id);
  }
}
