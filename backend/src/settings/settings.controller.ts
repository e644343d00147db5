import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ExpirySettingsDto } from './dto/expiry-settings.dto.js';
import { ExpirySettingsService } from './expiry-settings.service.js';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(private readonly expiry: ExpirySettingsService) {}

  /** Every signed-in user may read the policy: the UI shows the limits. */
  @Get('expiry')
  @ApiOkResponse({ type: ExpirySettingsDto })
  getExpiry(): Promise<ExpirySettingsDto> {
    return this.expiry.policy();
  }

  @Put('expiry')
  @AdminOnly()
  @ApiOkResponse({ type: ExpirySettingsDto })
  putExpiry(
    @AuthUser() user: CurrentUser,
    @Body() dto: ExpirySettingsDto,
  ): Promise<ExpirySettingsDto> {
    return this.expiry.update(user, dto);
  }
}
