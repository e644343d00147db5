import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/access.decorators.js';
import { ReconciliationReportDto } from './reconciliation.dto.js';
import { ReconciliationService } from './reconciliation.service.js';

@ApiTags('reconciliation')
@ApiBearerAuth()
@AdminOnly()
@Controller('reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get()
  @ApiOkResponse({ type: [ReconciliationReportDto], description: 'The last report per host' })
  reports(): ReconciliationReportDto[] {
    return this.reconciliation.lastReports();
  }

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: [ReconciliationReportDto], description: 'Reconciles every host now' })
  run(): Promise<ReconciliationReportDto[]> {
    return this.reconciliation.reconcileAll();
  }
}
