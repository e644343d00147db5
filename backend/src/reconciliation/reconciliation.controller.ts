import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import {
  DestroyedOrphansDto,
  DestroyOrphansDto,
  OrphanDto,
  ReconciliationReportDto,
} from './reconciliation.dto.js';
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
  @ApiOkResponse({
    type: [ReconciliationReportDto],
    description: 'Reconciles every host now: repairs what the host proves, reports the rest',
  })
  run(): Promise<ReconciliationReportDto[]> {
    return this.reconciliation.reconcileAll();
  }

  @Get('orphans')
  @ApiOkResponse({
    type: [OrphanDto],
    description: 'Datasets the catalog does not know, on every host now, with what depends on them',
  })
  orphans(): Promise<OrphanDto[]> {
    return this.reconciliation.orphans();
  }

  @Post('orphans/destroy')
  @HttpCode(200)
  @ApiOkResponse({ type: DestroyedOrphansDto, description: 'Destroyed exactly these (audited)' })
  @ApiConflictResponse({
    description:
      'Nothing destroyed: a key is no orphan (any more), is younger than a minute, or has dependents (named)',
  })
  destroy(
    @AuthUser() user: CurrentUser,
    @Body() dto: DestroyOrphansDto,
  ): Promise<DestroyedOrphansDto> {
    return this.reconciliation.destroyOrphans(user.id, dto.hostId, dto.keys);
  }
}
