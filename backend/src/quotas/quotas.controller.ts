import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { UuidParam } from '../common/uuid-param.js';
import { QuotaLimitsDto, UserQuotasDto } from './dto/quotas.dto.js';
import { QuotasService } from './quotas.service.js';

/** The admins' quotas: a default for everyone and overrides per user. Users read theirs on GET /usage. */
@ApiTags('quotas')
@ApiBearerAuth()
@Controller()
export class QuotasController {
  constructor(private readonly quotas: QuotasService) {}

  @Get('settings/quotas')
  @AdminOnly()
  @ApiOkResponse({ type: QuotaLimitsDto })
  getDefaults(): Promise<QuotaLimitsDto> {
    return this.quotas.defaults();
  }

  @Put('settings/quotas')
  @AdminOnly()
  @ApiOkResponse({ type: QuotaLimitsDto })
  putDefaults(@AuthUser() user: CurrentUser, @Body() dto: QuotaLimitsDto): Promise<QuotaLimitsDto> {
    return this.quotas.setDefaults(user, dto);
  }

  @Get('users/:id/quotas')
  @AdminOnly()
  @ApiOkResponse({ type: UserQuotasDto })
  getOfUser(@UuidParam() id: string): Promise<UserQuotasDto> {
    return this.quotas.ofUser(id);
  }

  @Put('users/:id/quotas')
  @AdminOnly()
  @ApiOkResponse({ type: UserQuotasDto })
  putOfUser(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: QuotaLimitsDto,
  ): Promise<UserQuotasDto> {
    return this.quotas.setOverrides(user, id, dto);
  }
}
