import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { UuidParam } from '../common/uuid-param.js';
import { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { AddTemplateHostDto } from './dto/template-host.dto.js';
import { ReplicationService } from './replication.service.js';

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates/:id/hosts')
export class TemplateHostsController {
  constructor(private readonly replication: ReplicationService) {}

  @Post()
  @AdminOnly()
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: AcceptedJobDto,
    description:
      'The host is added (listed in the template as `replicating`) and the newest version is sent to it: whole, or the increment from the newest version it holds',
  })
  add(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: AddTemplateHostDto,
  ): Promise<AcceptedJobDto> {
    return this.replication.addHost(user, id, dto.hostId);
  }

  @Delete(':hostId')
  @AdminOnly()
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: AcceptedJobDto,
    description:
      "The template's copy on the host is destroyed (409 while containers of it live there)",
  })
  remove(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @UuidParam('hostId') hostId: string,
  ): Promise<AcceptedJobDto> {
    return this.replication.removeHost(user, id, hostId);
  }
}
