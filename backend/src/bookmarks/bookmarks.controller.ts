import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, type CurrentUser } from '../common/current-user.js';
import { ApiPage, Page } from '../common/pagination.js';
import { UuidParam } from '../common/uuid-param.js';
import { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { BookmarksService } from './bookmarks.service.js';
import {
  BookmarkDto,
  BookmarkQueryDto,
  CreateBookmarkDto,
  ShareBookmarkDto,
  UpdateBookmarkDto,
} from './dto/bookmark.dto.js';

@ApiTags('bookmarks')
@ApiBearerAuth()
@Controller()
export class BookmarksController {
  constructor(private readonly bookmarks: BookmarksService) {}

  @Post('branches/:id/bookmarks')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedJobDto, description: '`id` is the new bookmark' })
  create(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: CreateBookmarkDto,
  ): Promise<AcceptedJobDto> {
    return this.bookmarks.create(user, id, dto);
  }

  @Get('bookmarks')
  @ApiPage(BookmarkDto)
  list(
    @AuthUser() user: CurrentUser,
    @Query() query: BookmarkQueryDto,
  ): Promise<Page<BookmarkDto>> {
    return this.bookmarks.list(user, query);
  }

  @Get('bookmarks/:id')
  @ApiOkResponse({ type: BookmarkDto })
  get(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<BookmarkDto> {
    return this.bookmarks.get(user, id);
  }

  @Patch('bookmarks/:id')
  @ApiOkResponse({ type: BookmarkDto })
  update(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: UpdateBookmarkDto,
  ): Promise<BookmarkDto> {
    return this.bookmarks.update(user, id, dto);
  }

  @Delete('bookmarks/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  delete(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<void> {
    return this.bookmarks.delete(user, id);
  }

  @Post('bookmarks/:id/share')
  @HttpCode(200)
  @ApiOkResponse({ type: BookmarkDto })
  share(
    @AuthUser() user: CurrentUser,
    @UuidParam() id: string,
    @Body() dto: ShareBookmarkDto,
  ): Promise<BookmarkDto> {
    return this.bookmarks.share(user, id, dto);
  }

  @Delete('bookmarks/:id/share')
  @HttpCode(200)
  @ApiOkResponse({ type: BookmarkDto })
  unshare(@AuthUser() user: CurrentUser, @UuidParam() id: string): Promise<BookmarkDto> {
    return this.bookmarks.unshare(user, id);
  }
}
