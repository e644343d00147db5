import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { UsageDto } from './usage.dto.js';
import { UsageService } from './usage.service.js';

@ApiTags('usage')
@ApiBearerAuth()
@Controller('usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get()
  @ApiOkResponse({ type: UsageDto })
  get(@AuthUser() user: CurrentUser): Promise<UsageDto> {
    return this.usage.usage(user);
  }
}
