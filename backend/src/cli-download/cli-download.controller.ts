import { existsSync } from 'node:fs';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppException } from '../common/app.exception.js';
import { Public } from '../common/access.decorators.js';
import { AppConfig } from '../config/app-config.js';

/** The server was started without a built CLI (cli: npm run build). */
class CliPackageMissingException extends AppException {
  constructor() {
    super('route.not-found', 'the CLI package is not built on this server (cli: npm run build)');
  }
}

/** Browsers and npm may keep the package a while: a new build is seen within five minutes. */
const MAX_AGE_MS = 5 * 60_000;

// A file for npm and browsers, not a call of the JSON API: the generated clients have no use for it.
@ApiExcludeController()
@Controller('cli')
export class CliDownloadController {
  constructor(private readonly config: AppConfig) {}

  /** The installable CLI: `npm install -g <server>/api/v1/cli/branchpoint.tgz` (docs/cli.md). */
  @Get('branchpoint.tgz')
  @Public()
  download(@Res() res: Response): void {
    if (!existsSync(this.config.cliPackage)) throw new CliPackageMissingException();
    // sendFile answers with ETag and Last-Modified, so npm and browsers revalidate cheaply.
    res.sendFile(this.config.cliPackage, {
      maxAge: MAX_AGE_MS,
      headers: {
        'Content-Type': 'application/gzip',
        'Content-Disposition': 'attachment; filename="branchpoint.tgz"',
      },
    });
  }
}
