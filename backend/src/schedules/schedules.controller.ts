import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { UuidParam } from '../common/uuid-param.js';
import { PutScheduleDto, ScheduleDto } from './dto/schedule.dto.js';
import { SchedulesService } from './schedules.service.js';

@ApiTags('schedules')
@ApiBearerAuth()
@Controller()
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get('containers/:id/schedule')
  @ApiOkResponse({ type: ScheduleDto })
  getForContainer(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<ScheduleDto> {
    return this.schedules.forContainer(user, id);
  }

  @Put('containers/:id/schedule')
  @ApiOkResponse({ type: ScheduleDto })
  putForContainer(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: PutScheduleDto,
  ): Promise<ScheduleDto> {
    return this.schedules.setForContainer(user, id, dto);
  }

  @Delete('containers/:id/schedule')
  @HttpCode(204)
  @ApiNoContentResponse()
  deleteForContainer(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.schedules.removeForContainer(user, id);
  }

  @Get('me/schedule')
  @ApiOkResponse({ type: ScheduleDto })
  getForUser(@AuthUser() user: CurrentUser): Promise<ScheduleDto> {
    return this.schedules.forUser(user);
  }

  @Put('me/schedule')
  @ApiOkResponse({ type: ScheduleDto })
  putForUser(@AuthUser() user: CurrentUser, @Body() dto: PutScheduleDto): Promise<ScheduleDto> {
    return this.schedules.setForUser(user, dto);
  }

  @Delete('me/schedule')
  @HttpCode(204)
  @ApiNoContentResponse()
  deleteForUser(@AuthUser() user: CurrentUser): Promise<void> {
    return this.schedules.removeForUser(user);
  }
}
