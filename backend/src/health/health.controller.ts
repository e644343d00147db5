import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/access.decorators.js';

class HealthDto {
  @ApiProperty({ example: true }) ok!: boolean;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  /** Liveness: answers once the app has started (migrations ran, admin exists). */
  @Get()
  @Public()
  @ApiOkResponse({ type: HealthDto })
  health(): HealthDto {
    return { ok: true };
  }
}
