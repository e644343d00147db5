import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import {
  CreateTemplateDto,
  TemplateDetailDto,
  TemplateDto,
  UpdateTemplateDto,
} from './dto/template.dto.js';
import { TemplatesService } from './templates.service.js';

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @AdminOnly()
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: AcceptedJobDto,
    description: 'Ingest of v1 queued; `id` is the template id',
  })
  create(@AuthUser() user: CurrentUser, @Body() dto: CreateTemplateDto): Promise<AcceptedJobDto> {
    return this.templates.create(user, dto);
  }

  @Get()
  @ApiPage(
    TemplateDto,
    'Every user sees every template, by name; connection strings and errors only admins',
  )
  list(@AuthUser() user: CurrentUser, @Query() page: PageQueryDto): Promise<Page<TemplateDto>> {
    return this.templates.list(user, page);
  }

  @Get(':id')
  @ApiOkResponse({
    type: TemplateDetailDto,
    description: 'Hooks, connection strings and ingest errors only for admins',
  })
  get(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<TemplateDetailDto> {
    return this.templates.get(user, id);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOkResponse({ type: TemplateDetailDto })
  update(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: UpdateTemplateDto,
  ): Promise<TemplateDetailDto> {
    return this.templates.update(user, id, dto);
  }

  @Post(':id/refresh')
  @AdminOnly()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto, description: 'Ingest of the next version queued' })
  refresh(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<AcceptedJobDto> {
    return this.templates.refresh(user, id);
  }
}
