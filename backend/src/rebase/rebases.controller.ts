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
import { RebaseBranchDto, RebaseDto } from './dto/rebase.dto.js';
import { RebaseService } from './rebase.service.js';

@ApiTags('rebases')
@ApiBearerAuth()
@Controller()
export class RebasesController {
  constructor(private readonly rebases: RebaseService) {}

  @Post('branches/:id/rebase')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto, description: '`id` is the new rebase' })
  create(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: RebaseBranchDto,
  ): Promise<AcceptedJobDto> {
    return this.rebases.create(user, id, dto);
  }

  @Get('rebases/:id')
  @ApiOkResponse({ type: RebaseDto })
  get(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<RebaseDto> {
    return this.rebases.get(user, id);
  }

  @Delete('rebases/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'forgets the rebase; a running one stops' })
  delete(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.rebases.delete(user, id);
  }
}
