import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/access.decorators.js';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page, PageQueryDto } from '../common/pagination.js';
import { CreateUserDto, UserDto } from './dto/user.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @AdminOnly()
  @ApiCreatedResponse({ type: UserDto })
  create(@AuthUser() user: CurrentUser, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(user.id, dto);
  }

  /** Every user may list users, to share bookmarks with them. */
  @Get()
  @ApiPage(UserDto, 'Every user, by username')
  list(@Query() page: PageQueryDto): Promise<Page<UserDto>> {
    return this.users.list(page);
  }
}
