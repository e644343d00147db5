import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { BranchesService } from './branches.service.js';
import {
  BranchDto,
  CreateBranchDto,
  PointDto,
  RestoreBranchDto,
  UpdateBranchDto,
} from './dto/branch.dto.js';

@ApiTags('branches')
@ApiBearerAuth()
@Controller()
export class BranchesController {
  constructor(private readonly branches: BranchesService) {}

  @Get('containers/:id/branches')
  @ApiPage(BranchDto)
  list(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<BranchDto>> {
    return this.branches.list(user, id, page);
  }

  @Post('containers/:id/branches')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto, description: '`id` is the new branch' })
  create(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: CreateBranchDto,
  ): Promise<AcceptedJobDto> {
    return this.branches.create(user, id, dto);
  }

  @Post('branches/:id/activate')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto })
  activate(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<AcceptedJobDto> {
    return this.branches.activate(user, id);
  }

  @Patch('branches/:id')
  @ApiOkResponse({ type: BranchDto })
  update(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: UpdateBranchDto,
  ): Promise<BranchDto> {
    return this.branches.update(user, id, dto);
  }

  @Delete('branches/:id')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto })
  delete(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<AcceptedJobDto> {
    return this.branches.delete(user, id);
  }

  @Get('branches/:id/timeline')
  @ApiPage(PointDto)
  timeline(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<PointDto>> {
    return this.branches.timelineOf(user, id, page);
  }

  @Post('branches/:id/restore')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto })
  restore(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: RestoreBranchDto,
  ): Promise<AcceptedJobDto> {
    return this.branches.restore(user, id, dto);
  }

  @Post('branches/:id/reset')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto })
  reset(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<AcceptedJobDto> {
    return this.branches.reset(user, id);
  }
}
