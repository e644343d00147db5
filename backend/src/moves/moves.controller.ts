import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { UuidParam } from '../common/uuid-param.js';
import { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { DrainResultDto, MoveContainerDto } from './dto/move.dto.js';
import { MovesService } from './moves.service.js';

@ApiTags('containers')
@ApiBearerAuth()
@Controller()
export class MovesController {
  constructor(private readonly moves: MovesService) {}

  @Post('containers/:id/move')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: AcceptedJobDto,
    description:
      'The container moves with its branches, points and bookmarks: copied while it runs, then stopped for the increment and started on the new host. Its connection strings change (event `container.moved`, webhook `container.moved`).',
  })
  move(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: MoveContainerDto,
  ): Promise<AcceptedJobDto> {
    return this.moves.move(user, id, dto.hostId);
  }

  @Post('hosts/:id/drain')
  @AdminOnly()
  @HttpCode(202)
  @ApiTags('hosts')
  @ApiAcceptedResponse({
    type: DrainResultDto,
    description:
      'The host takes no new containers (until DELETE), and a move job starts per container on it, each to where placement puts it; those that cannot move are listed with why',
  })
  drain(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<DrainResultDto> {
    return this.moves.drain(user, id);
  }

  @Delete('hosts/:id/drain')
  @AdminOnly()
  @HttpCode(204)
  @ApiTags('hosts')
  @ApiNoContentResponse({ description: 'The host takes new containers again' })
  endDrain(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.moves.endDrain(user, id);
  }
}
