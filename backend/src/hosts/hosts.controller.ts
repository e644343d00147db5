import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { CreateHostDto, HostDto, UpdateHostDto } from './dto/host.dto.js';
import { HostsService } from './hosts.service.js';

@ApiTags('hosts')
@ApiBearerAuth()
@Controller('hosts')
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  @Post()
  @AdminOnly()
  @ApiCreatedResponse({ type: HostDto })
  create(@AuthUser() user: CurrentUser, @Body() dto: CreateHostDto): Promise<HostDto> {
    return this.hosts.create(user.id, dto);
  }

  @Patch(':id')
  @AdminOnly()
  @ApiOkResponse({ type: HostDto })
  update(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: UpdateHostDto,
  ): Promise<HostDto> {
    return this.hosts.update(user.id, id, dto);
  }

  @Get()
  @ApiPage(HostDto, 'Every host, by name; address, pin and errors only for admins')
  list(@AuthUser() user: CurrentUser, @Query() page: PageQueryDto): Promise<Page<HostDto>> {
    return this.hosts.list(user, page);
  }
}
