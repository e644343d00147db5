import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuditEventDto, AuditQueryDto } from './audit.dto.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @AdminOnly()
  @ApiOkResponse({ type: [AuditEventDto] })
  list(@Query() query: AuditQueryDto): Promise<AuditEventDto[]> {
    return this.audit.list(query.limit ?? 100, query.offset ?? 0);
  }
}
