import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import {
  CreatePreviewDto,
  PreviewDto,
  PreviewRowsDto,
  PreviewRowsQueryDto,
  PreviewTableDto,
} from './dto/preview.dto.js';
import { PreviewsService } from './previews.service.js';

@ApiTags('previews')
@ApiBearerAuth()
@Controller('previews')
export class PreviewsController {
  constructor(private readonly previews: PreviewsService) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto, description: '`id` is the new preview' })
  create(@AuthUser() user: CurrentUser, @Body() dto: CreatePreviewDto): Promise<AcceptedJobDto> {
    return this.previews.create(user, dto);
  }

  @Get()
  @ApiPage(PreviewDto, "My previews (everyone's, for admins), newest first")
  list(@AuthUser() user: CurrentUser, @Query() page: PageQueryDto): Promise<Page<PreviewDto>> {
    return this.previews.list(user, page);
  }

  @Get(':id')
  @ApiOkResponse({ type: PreviewDto })
  get(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<PreviewDto> {
    return this.previews.get(user, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  delete(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.previews.delete(user, id);
  }

  @Get(':id/tables')
  @ApiOkResponse({ type: [PreviewTableDto] })
  tables(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<PreviewTableDto[]> {
    return this.previews.tables(user, id);
  }

  @Get(':id/tables/:name/rows')
  @ApiOkResponse({ type: PreviewRowsDto })
  rows(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Param('name') name: string,
    @Query() query: PreviewRowsQueryDto,
  ): Promise<PreviewRowsDto> {
    return this.previews.rows(user, id, name, query.limit);
  }
}
