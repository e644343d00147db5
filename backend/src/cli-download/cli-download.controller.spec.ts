import { describe, expect, it, vi } from 'vitest';
import type { Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { CliDownloadController } from './cli-download.controller.js';

const controller = (cliPackage: string) => new CliDownloadController({ cliPackage } as AppConfig);

describe('CliDownloadController', () => {
  it('answers 404 route.not-found naming the build when the package was not built', () => {
    const res = { sendFile: vi.fn() } as unknown as Response;
    expect(() => controller('/nonexistent/branchpoint.tgz').download(res)).toThrow(
      expect.objectContaining({
        statusCode: 404,
        code: 'route.not-found',
        message: 'the CLI package is not built on this server (cli: npm run build)',
      }),
    );
    expect(res.sendFile).not.toHaveBeenCalled();
  });

  it('sends the package as gzip with a five-minute cache', () => {
    const res = { sendFile: vi.fn() } as unknown as Response;
    controller(import.meta.filename).download(res);
    expect(res.sendFile).toHaveBeenCalledWith(import.meta.filename, {
      maxAge: 300_000,
      headers: expect.objectContaining({ 'Content-Type': 'application/gzip' }),
    });
  });
});
