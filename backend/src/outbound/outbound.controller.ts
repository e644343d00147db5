import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { CreateOutboundRuleDto, OutboundRuleDto } from './dto/outbound-rule.dto.js';
import { OutboundService } from './outbound.service.js';

/** Admins: the hosts and ranges webhooks may reach although they are not public addresses. */
@ApiTags('outbound')
@ApiBearerAuth()
@AdminOnly()
@Controller('settings/outbound')
export class OutboundController {
  constructor(private readonly outbound: OutboundService) {}

  @Get()
  @ApiPage(
    OutboundRuleDto,
    "The admins' rules, oldest first; the first page starts with BP_OUTBOUND_ALLOW's entries",
  )
  list(@Query() page: PageQueryDto): Promise<Page<OutboundRuleDto>> {
    return this.outbound.list(page);
  }

  @Post()
  @ApiCreatedResponse({ type: OutboundRuleDto })
  add(@AuthUser() user: CurrentUser, @Body() dto: CreateOutboundRuleDto): Promise<OutboundRuleDto> {
    return this.outbound.add(user, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.outbound.remove(user, id);
  }
}
