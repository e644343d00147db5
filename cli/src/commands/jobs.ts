import { api as rest } from '@branchpoint/api-client';
import type { Command } from 'commander';
import type { Job } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { waitForJob, waitTimeoutOption } from '../operation.js';
import { type Column, formatDetails, formatTable, formatTime } from '../output.js';

const JOB_COLUMNS: readonly Column<Job>[] = [
  { header: 'ID', value: (j) => j.id },
  { header: 'TYPE', value: (j) => j.type },
  { header: 'STATE', value: (j) => j.state },
  { header: 'PROGRESS', value: (j) => `${j.progress}%` },
  { header: 'CONTAINER', value: (j) => j.containerId },
  { header: 'CREATED', value: (j) => formatTime(j.createdAt) },
  { header: 'ERROR', value: (j) => j.error },
];

/** `jobs list|show|wait`: the asynchronous operations behind every 202 answer. */
export function registerJobCommands(program: Command, io: Io): void {
  const jobs = program
    .command('jobs')
    .description('operation jobs (what --no-wait leaves running)');

  jobs
    .command('list')
    .description("newest first: the jobs you started, or a container's jobs")
    .option('--container <containerId>', "a container's jobs (whoever started them)")
    .action(async (options: { container?: string }, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const list = await api.send(rest.jobs.list({ containerId: options.container }));
      ctx.output.result(list, () => formatTable(JOB_COLUMNS, list));
    });

  jobs
    .command('show <jobId>')
    .description("show a job's state, progress, error and log (steps and hook output)")
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const job = await api.send(rest.jobs.get(id));
      ctx.output.result(job, () => renderJob(job));
    });

  jobs
    .command('wait <jobId>')
    .description('wait until a job has finished; exit code 1 when it failed')
    .addOption(waitTimeoutOption('give up waiting after this long'))
    .action(async (id: string, options: { waitTimeout: number }, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const job = await waitForJob(api, ctx.output, id, options.waitTimeout);
      ctx.output.result(job, () => renderJob(job));
    });
}

function renderJob(job: Job): string {
  const details = formatDetails([
    ['ID', job.id],
    ['Type', job.type],
    ['Container', job.containerId],
    ['State', job.state],
    ['Progress', `${job.progress}%`],
    ['Error', job.error],
    ['Result', job.result ? JSON.stringify(job.result) : undefined],
  ]);
  // Older servers answer without a log.
  const log = job.log ?? [];
  return log.length > 0
    ? `${details}\nLog:\n${log.map((line) => `  ${line}`).join('\n')}`
    : details;
}
