import { Body, Controller, Delete, Get, HttpCode, Ip, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../common/access.decorators.js';
import { NotFoundException } from '../common/app.exception.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { UserDto } from '../users/dto/user.dto.js';
import { toUserDto, UsersService } from '../users/users.service.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthService } from './auth.service.js';
import {
  ApiTokenDto,
  ChangePasswordDto,
  CreateApiTokenDto,
  CreatedApiTokenDto,
  LoginDto,
  RefreshDto,
  SessionTokensDto,
} from './dto/auth.dto.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly apiTokens: ApiTokensService,
    private readonly users: UsersService,
  ) {}

  /** The client address is the socket's, or with BP_TRUSTED_PROXIES the one those proxies forward. */
  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionTokensDto })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<SessionTokensDto> {
    return this.auth.login(dto.username, dto.password, ip);
  }

  /** A new access token and refresh token for a refresh token, which is then used up. */
  @Post('auth/refresh')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionTokensDto })
  refresh(@Body() dto: RefreshDto): Promise<SessionTokensDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  /** Ends the session of this access token: its refresh token and access tokens stop working. */
  @Post('auth/logout')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiNoContentResponse()
  logout(@AuthUser() user: CurrentUser): Promise<void> {
    return this.auth.logout(user);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDto })
  async me(@AuthUser() user: CurrentUser): Promise<UserDto> {
    const found = await this.users.findById(user.id);
    if (!found) throw new NotFoundException('user', user.id);
    return toUserDto(found);
  }

  /** Changes one's own password; every other session ends. Wrong guesses are throttled as logins. */
  @Put('me/password')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiNoContentResponse()
  changePassword(
    @AuthUser() user: CurrentUser,
    @Body() dto: ChangePasswordDto,
    @Ip() ip: string,
  ): Promise<void> {
    return this.auth.changePassword(user, dto.currentPassword, dto.newPassword, ip);
  }

  @Post('tokens')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  createToken(
    @AuthUser() user: CurrentUser,
    @Body() dto: CreateApiTokenDto,
  ): Promise<CreatedApiTokenDto> {
    return this.apiTokens.create(user, dto);
  }

  @Get('tokens')
  @ApiBearerAuth()
  @ApiPage(ApiTokenDto, 'My API tokens, oldest first')
  listTokens(
    @AuthUser() user: CurrentUser,
    @Query() page: PageQueryDto,
  ): Promise<Page<ApiTokenDto>> {
    return this.apiTokens.list(user, page);
  }

  @Delete('tokens/:id')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiNoContentResponse()
  revokeToken(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.apiTokens.revoke(user, id);
  }
}
