import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { RecoverDto, RecoveryResultDto } from './recovery.dto.js';
import { RecoveryService } from './recovery.service.js';

@ApiTags('recovery')
@ApiBearerAuth()
@AdminOnly()
@Controller('recovery')
export class RecoveryController {
  constructor(private readonly recovery: RecoveryService) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({
    type: RecoveryResultDto,
    description:
      'Adopts every template, version, container, branch, point and bookmark the registered hosts hold and the catalog lacks (audited)',
  })
  @ApiConflictResponse({ description: 'Another recovery is running' })
  recover(@AuthUser() user: CurrentUser, @Body() dto: RecoverDto): Promise<RecoveryResultDto> {
    return this.recovery.recover(user, dto.dryRun ?? false);
  }
}
