import { Body, Controller, Delete, Get, HttpCode, Ip, Post } from '@nestjs/common';
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
import { UuidParam } from '../common/uuid-param.js';
import { UserDto } from '../users/dto/user.dto.js';
import { toUserDto, UsersService } from '../users/users.service.js';
import { AuthService } from './auth.service.js';
import {
  ApiTokenDto,
  CreateApiTokenDto,
  CreatedApiTokenDto,
  LoginDto,
  LoginResponseDto,
} from './dto/auth.dto.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<LoginResponseDto> {
    return this.auth.login(dto.username, dto.password, ip);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDto })
  async me(@AuthUser() user: CurrentUser): Promise<UserDto> {
    const found = await this.users.findById(user.id);
    if (!found) throw new NotFoundException('user', user.id);
    return toUserDto(found);
  }

  @Post('tokens')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  createToken(
    @AuthUser() user: CurrentUser,
    @Body() dto: CreateApiTokenDto,
  ): Promise<CreatedApiTokenDto> {
    return this.auth.createApiToken(user, dto.name);
  }

  @Get('tokens')
  @ApiBearerAuth()
  @ApiOkResponse({ type: [ApiTokenDto] })
  listTokens(@AuthUser() user: CurrentUser): Promise<ApiTokenDto[]> {
    return this.auth.listApiTokens(user);
  }

  @Delete('tokens/:id')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiNoContentResponse()
  revokeToken(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.auth.revokeApiToken(user, id);
  }
}
