import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { UuidParam } from '../common/uuid-param.js';
import { PinPlacementDto, PlacementDto } from './dto/placement.dto.js';
import { PlacementService } from './placement.service.js';

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates/:id/placement')
export class PlacementController {
  constructor(private readonly placement: PlacementService) {}

  @Get()
  @ApiOkResponse({ type: PlacementDto })
  get(@UuidParam() id: string): Promise<PlacementDto> {
    return this.placement.describe(id);
  }

  @Put()
  @AdminOnly()
  @ApiOkResponse({
    type: PlacementDto,
    description: "Pins the template's new containers to these hosts; null unpins",
  })
  pin(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: PinPlacementDto,
  ): Promise<PlacementDto> {
    return this.placement.pin(user.id, id, dto.hostIds);
  }
}
