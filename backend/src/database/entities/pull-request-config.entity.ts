import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type Forge = 'github' | 'gitlab';
export const FORGES: readonly Forge[] = ['github', 'gitlab'];
/** What a pull request gets: a container of its own, or a branch of a given container. */
export type PullRequestTarget = 'container' | 'branch';
export const PULL_REQUEST_TARGETS: readonly PullRequestTarget[] = ['container', 'branch'];

/** A template's pull-request databases: which repository's pull requests get one, from what. */
@Entity('pull_request_config')
export class PullRequestConfig {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid') templateId!: string;
  /** Who configured it: the containers and branches are made, owned and operated as this user. */
  @Column('uuid') createdById!: string;
  @Column({ type: 'varchar', length: 8 }) forge!: Forge;
  /** GitHub `owner/name`, or a GitLab project path (`group/sub/project`). */
  @Column({ type: 'varchar', length: 256 }) repository!: string;
  /** The forge's API base (`https://api.github.com`, `https://gitlab.example.com/api/v4`). */
  @Column({ type: 'varchar', length: 2048 }) apiUrl!: string;
  /** Sealed (SecretBox): the token comments are posted with. */
  @Column('text') apiToken!: string;
  /** Sealed (SecretBox): what inbound webhooks are signed (GitHub) or sent (GitLab) with. */
  @Column('text') webhookSecret!: string;
  /** Only pull requests with this label get a database; null: every one. */
  @Column({ type: 'varchar', length: 128, nullable: true }) label!: string | null;
  @Column('uuid') bookmarkId!: string;
  @Column({ type: 'varchar', length: 16 }) target!: PullRequestTarget;
  /** target `branch`: the container the branches are made in. */
  @Column({ type: 'uuid', nullable: true }) containerId!: string | null;
  /** A duration (`7d`) from creation; null: the admins' default expiry. */
  @Column({ type: 'varchar', length: 32, nullable: true }) expiresIn!: string | null;
  /** New commits on the pull request put its database back to the bookmark. */
  @Column({ type: 'boolean', default: false }) resetOnPush!: boolean;
  /** Sealed (SecretBox): a Slack incoming-webhook URL each step is posted to; null: none. */
  @Column({ type: 'text', nullable: true }) slackUrl!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
