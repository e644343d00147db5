import { Body, Controller, Delete, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { UuidParam } from '../common/uuid-param.js';
import { SetPasswordDto, UserDto } from '../users/dto/user.dto.js';
import { DeletedUserDto, DeleteUserQueryDto } from './accounts.dto.js';
import { AccountsService } from './accounts.service.js';

@ApiTags('users')
@ApiBearerAuth()
@AdminOnly()
@Controller('users/:id')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** Sets a new password for the user (same policy as everyone's); their sessions end. */
  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse()
  resetPassword(
    @AuthUser() actor: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: SetPasswordDto,
  ): Promise<void> {
    return this.accounts.resetPassword(actor, id, dto.password);
  }

  /** The user can no longer sign in; their sessions, API tokens and sockets end at once. */
  @Post('disable')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  disable(@AuthUser() actor: CurrentUser, @UuidParam() id: string): Promise<UserDto> {
    return this.accounts.disable(actor, id);
  }

  @Post('enable')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  enable(@AuthUser() actor: CurrentUser, @UuidParam() id: string): Promise<UserDto> {
    return this.accounts.enable(actor, id);
  }

  /** Deletes the user; `containers` says what becomes of the containers they own. */
  @Delete()
  @HttpCode(200)
  @ApiOkResponse({ type: DeletedUserDto })
  delete(
    @AuthUser() actor: CurrentUser,
    @UuidParam() id: string,
    @Query() query: DeleteUserQueryDto,
  ): Promise<DeletedUserDto> {
    return this.accounts.delete(actor, id, query);
  }
}
