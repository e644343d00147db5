import { Module } from '@nestjs/common';
import { CliDownloadController } from './cli-download.controller.js';

/** Serves the installable CLI package, so every server hands out a CLI that speaks its API. */
@Module({ controllers: [CliDownloadController] })
export class CliDownloadModule {}
