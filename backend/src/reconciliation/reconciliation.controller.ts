import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { DestroyOrphansDto, OrphanDto, ReconciliationReportDto } from './reconciliation.dto.js';
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
    description:
      'The preview: datasets the catalog does not know, on every host now, each with what a destroy would remove, what depends on it, its verdict (only `destroyable` ones may go) and the fingerprint a destroy must name',
  })
  orphans(): Promise<OrphanDto[]> {
    return this.reconciliation.orphans();
  }

  @Post('orphans/destroy')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: AcceptedJobDto,
    description:
      'A job destroys exactly these (audited), after checking them again; its result lists them',
  })
  @ApiConflictResponse({
    description:
      "Nothing destroyed: an item is no orphan (the catalog references it), another installation's, unknown to the catalog, younger than a minute, depended on, or changed since the preview (each named)",
  })
  destroy(@AuthUser() user: CurrentUser, @Body() dto: DestroyOrphansDto): Promise<AcceptedJobDto> {
    return this.reconciliation.requestDestroy(user.id, dto.hostId, dto.orphans);
  }
}
