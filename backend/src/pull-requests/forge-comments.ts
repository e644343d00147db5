import { Injectable, Logger } from '@nestjs/common';
import type { OutboundOutcome } from '../common/outbound-address.js';
import type { PullRequestConfig } from '../database/entities/pull-request-config.entity.js';
import { OutboundService } from '../outbound/outbound.service.js';
import { escapeSlack } from '../webhooks/webhook-payload.js';

const TIMEOUT_MS = 10_000;
/** 1 try + 2 retries, 1 s then 2 s apart: a forge hiccup does not lose the comment. */
const ATTEMPTS = 3;
const FIRST_RETRY_MS = 1_000;

export const DEFAULT_API_URLS = {
  github: 'https://api.github.com',
  gitlab: 'https://gitlab.com/api/v4',
} as const;

export interface CommentResult {
  outcome: OutboundOutcome;
  /** The comment's id on the forge (the one edited, or the one made). */
  commentId: string | null;
}

interface Call {
  method: 'POST' | 'PATCH' | 'PUT';
  url: string;
  body: string;
}

/**
 * Posts and edits the one comment on a pull request (GitHub issue comments, GitLab merge-request
 * notes) with the configuration's token, and Slack messages; every call through the outbound
 * fence, retried with backoff. Never throws: the outcome is recorded on the event.
 */
@Injectable()
export class ForgeComments {
  private readonly logger = new Logger(ForgeComments.name);

  constructor(private readonly outbound: OutboundService) {}

  /** Edits the comment `commentId` (or posts one when there is none, or it was deleted). */
  async upsert(
    config: PullRequestConfig,
    token: string,
    number: number,
    commentId: string | null,
    text: string,
  ): Promise<CommentResult> {
    if (commentId) {
      const edited = await this.send(config, token, this.editCall(config, number, commentId, text));
      if (edited.status !== 404) return { outcome: edited.outcome, commentId };
    }
    const posted = await this.send(config, token, this.postCall(config, number, text));
    const id = posted.outcome === 'ok' ? idOf(posted.answer) : null;
    return { outcome: posted.outcome, commentId: id };
  }

  async slack(url: string, text: string): Promise<OutboundOutcome> {
    return (
      await this.retried(() =>
        this.outbound.post(url, {
          headers: { 'Content-Type': 'application/json', 'User-Agent': 'Branchpoint' },
          // Escaped: an error quoting a name cannot mention anyone or link anywhere.
          body: JSON.stringify({ text: escapeSlack(text) }),
          timeoutMs: TIMEOUT_MS,
        }),
      )
    ).outcome;
  }

  private postCall(config: PullRequestConfig, number: number, text: string): Call {
    const body = JSON.stringify({ body: text });
    return config.forge === 'github'
      ? { method: 'POST', url: `${this.repository(config)}/issues/${number}/comments`, body }
      : { method: 'POST', url: `${this.repository(config)}/merge_requests/${number}/notes`, body };
  }

  private editCall(config: PullRequestConfig, number: number, id: string, text: string): Call {
    const body = JSON.stringify({ body: text });
    const comment = encodeURIComponent(id);
    return config.forge === 'github'
      ? { method: 'PATCH', url: `${this.repository(config)}/issues/comments/${comment}`, body }
      : {
          method: 'PUT',
          url: `${this.repository(config)}/merge_requests/${number}/notes/${comment}`,
          body,
        };
  }

  /** `…/repos/<owner>/<name>` (GitHub) or `…/projects/<url-encoded path>` (GitLab). */
  private repository(config: PullRequestConfig): string {
    const base = config.apiUrl.replace(/\/+$/, '');
    if (config.forge === 'gitlab')
      return `${base}/projects/${encodeURIComponent(config.repository)}`;
    const [owner, name] = config.repository.split('/').map(encodeURIComponent);
    return `${base}/repos/${owner}/${name}`;
  }

  private send(config: PullRequestConfig, token: string, call: Call) {
    const auth: Record<string, string> =
      config.forge === 'github'
        ? {
            Authorization: `Bearer ${token}`,
            Accept: 'application/vnd.github+json',
            'X-GitHub-Api-Version': '2022-11-28',
          }
        : { 'PRIVATE-TOKEN': token };
    return this.retried(async () => {
      const result = await this.outbound.post(call.url, {
        method: call.method,
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'Branchpoint', ...auth },
        body: call.body,
        timeoutMs: TIMEOUT_MS,
        readAnswer: true,
      });
      if (result.outcome !== 'ok')
        this.logger.warn(
          `${config.forge} ${call.method} for config ${config.id}: ${result.outcome} (${result.detail})`,
        );
      return result;
    });
  }

  /** Retries failures other than a 4xx (a refused token or a missing comment stays refused). */
  private async retried<R extends { outcome: OutboundOutcome }>(
    call: () => Promise<R>,
  ): Promise<R> {
    let result = await call();
    for (let attempt = 1; attempt < ATTEMPTS; attempt++) {
      if (result.outcome === 'ok' || result.outcome === 'http-4xx') break;
      await new Promise((resolve) => setTimeout(resolve, FIRST_RETRY_MS * 2 ** (attempt - 1)));
      result = await call();
    }
    return result;
  }
}

function idOf(answer: string | undefined): string | null {
  try {
    const id = (JSON.parse(answer ?? '') as { id?: unknown }).id;
    return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
  } catch {
    return null;
  }
}
