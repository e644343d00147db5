import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import {
  CreatedPullRequestConfigDto,
  CreatePullRequestConfigDto,
  PullRequestConfigDto,
  PullRequestEventDto,
  UpdatePullRequestConfigDto,
} from './dto/pull-request-config.dto.js';
import { PullRequestConfigsService } from './pull-request-configs.service.js';

/** A template's pull-request databases, configured by admins and the template's owner. */
@ApiTags('pull-requests')
@ApiBearerAuth()
@Controller()
export class PullRequestConfigsController {
  constructor(private readonly configs: PullRequestConfigsService) {}

  @Post('templates/:id/pull-request-configs')
  @ApiCreatedResponse({
    type: CreatedPullRequestConfigDto,
    description: '`webhookSecret` is shown only here',
  })
  create(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: CreatePullRequestConfigDto,
  ): Promise<CreatedPullRequestConfigDto> {
    return this.configs.create(user, id, dto);
  }

  @Get('templates/:id/pull-request-configs')
  @ApiPage(PullRequestConfigDto, "The template's pull-request configurations, oldest first")
  list(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<PullRequestConfigDto>> {
    return this.configs.list(user, id, page);
  }

  @Get('pull-request-configs/:id')
  @ApiOkResponse({ type: PullRequestConfigDto })
  get(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<PullRequestConfigDto> {
    return this.configs.get(user, id);
  }

  @Patch('pull-request-configs/:id')
  @ApiOkResponse({ type: PullRequestConfigDto })
  update(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: UpdatePullRequestConfigDto,
  ): Promise<PullRequestConfigDto> {
    return this.configs.update(user, id, dto);
  }

  @Delete('pull-request-configs/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  delete(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.configs.delete(user, id);
  }

  @Get('pull-request-configs/:id/events')
  @ApiPage(PullRequestEventDto, 'The inbound events, newest first')
  events(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<PullRequestEventDto>> {
    return this.configs.eventsOf(user, id, page);
  }
}
