import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLONE_ROLE_PATTERN, MAX_KEEP_ROLES, MAX_SHELL_HOOK_LENGTH } from '@branchpoint/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import type { SourceKind } from '@branchpoint/contracts';
import { SOURCE_KINDS, sourceLocationProblem } from '../../common/engines.js';
import type { TemplateHostState } from '../../database/entities/template-host.entity.js';
import type { TemplateVersionState } from '../../database/entities/template-version.entity.js';

export class TemplateSourceInputDto {
  @ApiProperty({ example: 'app-db' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
    message: 'source name must be 1-64 lowercase letters, digits, "_" or "-"',
  })
  name!: string;

  @ApiProperty({ enum: SOURCE_KINDS, description: 'The engine (or directory) of the source' })
  @IsIn(SOURCE_KINDS, { message: `kind must be one of ${SOURCE_KINDS.join(', ')}` })
  kind!: SourceKind;

  @ApiPropertyOptional({
    example: 'postgres://user:secret@db.internal:5432/app',
    description:
      'postgres: `postgres://…`; mariadb: `mysql://user:password@host:port/db` (the server runs on the host of the template, as mariadb-backup copies its files). Stored sealed (encrypted with BP_SECRET_KEY); its password is never shown again, the rest to admins only',
  })
  @ValidateIf((source: TemplateSourceInputDto) => source.kind !== 'directory')
  @IsString({ message: 'connectionString is required for postgres and mariadb sources' })
  @MaxLength(2048)
  @IsSourceLocation()
  connectionString?: string;

  @ApiPropertyOptional({
    example: '/srv/app/files',
    description: 'directory sources: the absolute path on the host that is copied (rsync)',
  })
  @ValidateIf((source: TemplateSourceInputDto) => source.kind === 'directory')
  @IsString({ message: 'path is required for directory sources' })
  @MaxLength(4096)
  @IsSourceLocation()
  path?: string;
}

/** The connection string (or a directory's path) fits the source's kind, or says what is wrong. */
function IsSourceLocation() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSourceLocation',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const { kind } = args.object as TemplateSourceInputDto;
          return (
            !SOURCE_KINDS.includes(kind) ||
            (typeof value === 'string' && sourceLocationProblem(kind, value) === null)
          );
        },
        defaultMessage: (args: ValidationArguments) =>
          sourceLocationProblem((args.object as TemplateSourceInputDto).kind, String(args.value)) ??
          `${propertyName} is invalid`,
      },
    });
}

/** Admin-defined SQL statements: at most 64, none empty. */
function SqlStatements(description: string, example: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], example: [example], description }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(64),
    IsString({ each: true }),
    MaxLength(65536, { each: true }),
    Matches(/\S/, { each: true, message: 'hook statements must not be empty' }),
  );
}

/** An admin-defined shell script: not empty, at most MAX_SHELL_HOOK_LENGTH characters. */
function ShellScript(description: string, example: string) {
  return applyDecorators(
    ApiPropertyOptional({ type: String, maxLength: MAX_SHELL_HOOK_LENGTH, example, description }),
    IsOptional(),
    IsString(),
    MaxLength(MAX_SHELL_HOOK_LENGTH),
    Matches(/\S/, { message: '$property must not be empty' }),
    Matches(/^[^\0]*$/, { message: '$property must not contain NUL characters' }),
  );
}

const SHELL_RUN =
  "Run by `sh -e -c` as the postgres OS user on the storage host, in an empty temporary directory, with a timeout (the agent's BP_HOOK_TIMEOUT_MS); stdout and stderr go to the job log. Environment: PGHOST, PGPORT, PGUSER, PGDATABASE (a superuser session in the source database, e.g. for `psql`), BP_SOURCE_ID, BP_SOURCE_NAME";

export class TemplateHooksDto {
  @SqlStatements(
    'SQL run on every postgres source after each ingest and refresh, before the version is snapshotted (so clones never see what it removes): in one transaction, as a superuser, in the source database. A failing statement fails the version.',
    "UPDATE customers SET email = md5(email) || '@example.invalid'",
  )
  afterIngest?: string[];

  @SqlStatements(
    'SQL run in each container made from the template after each start of its servers (e.g. to reset application passwords), as for afterIngest; fixed when the container is created. A failing statement fails the start.',
    "UPDATE app_users SET password_hash = 'reset'",
  )
  afterStart?: string[];

  @ShellScript(
    `Shell script run on every postgres source after the afterIngest SQL, before the version is snapshotted. ${SHELL_RUN}, BP_TEMPLATE_ID. A non-zero exit fails the version.`,
    'psql -v ON_ERROR_STOP=1 -c "UPDATE customers SET email = md5(email)"',
  )
  afterIngestShell?: string;

  @ShellScript(
    `Shell script run in each container made from the template after the afterStart SQL, on each start of its servers; fixed when the container is created. ${SHELL_RUN}, BP_CONTAINER_ID. A non-zero exit fails the start.`,
    'psql -v ON_ERROR_STOP=1 -c "ALTER ROLE app PASSWORD \'dev\'"',
  )
  afterStartShell?: string;
}

/** Who the owner of a container made from the template is in its databases; fixed when the container is created. */
export class TemplateOwnerOptionsDto {
  @ApiPropertyOptional({
    description:
      "The container's owner role (`branchpoint`) is a database superuser. Only admins may turn it on; off (the default), the owner owns the databases and their objects and has pg_monitor, pg_read_all_stats and pg_signal_backend.",
  })
  @IsOptional()
  @IsBoolean({ message: 'ownerSuperuser must be true or false' })
  ownerSuperuser?: boolean;

  @ApiPropertyOptional({
    type: [String],
    example: ['app'],
    description:
      "Roles copied from the source that may still log in to the clones, with the container's password; every other source role is NOLOGIN.",
  })
  @IsOptional()
  @IsArray({ message: 'keepRoles must be an array of role names' })
  @ArrayMaxSize(MAX_KEEP_ROLES, { message: `keepRoles holds at most ${MAX_KEEP_ROLES} roles` })
  @IsString({ each: true, message: 'keepRoles must be an array of role names' })
  @Matches(CLONE_ROLE_PATTERN, {
    each: true,
    message:
      'keepRoles: each role name must be 1-63 lowercase letters, digits or "_", not starting with a digit, and not branchpoint or branchpoint_hook',
  })
  keepRoles?: string[];
}

export class CreateTemplateDto extends TemplateOwnerOptionsDto {
  @ApiProperty({ example: 'app' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/, {
    message: 'name must be 1-128 letters, digits, spaces, ".", "_" or "-"',
  })
  name!: string;

  @ApiProperty() @IsUUID('all', { message: 'hostId must be a UUID' }) hostId!: string;

  @ApiProperty({ type: [TemplateSourceInputDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => TemplateSourceInputDto)
  sources!: TemplateSourceInputDto[];

  @ApiPropertyOptional({ type: TemplateHooksDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateHooksDto)
  hooks?: TemplateHooksDto;
}

/** Every field is optional; the owner options apply to containers created from now on. */
export class UpdateTemplateDto extends TemplateOwnerOptionsDto {
  @ApiPropertyOptional({
    type: TemplateHooksDto,
    description: 'Replaces the hooks; used from the next refresh on',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateHooksDto)
  hooks?: TemplateHooksDto;
}

/** What only admins see of templates and hosts: where things are, what runs and what failed. */
export const ADMINS_ONLY = 'Admins only (left out for other users).';

export class TemplateSourceDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SOURCE_KINDS, description: 'The engine (or directory) of the source' })
  kind!: SourceKind;
  @ApiPropertyOptional({
    example: 'postgres://user@db.internal:5432/app',
    description: `Where the source is, without its password (never shown again); a directory's path. ${ADMINS_ONLY}`,
  })
  connectionString?: string;
}

export class TemplateVersionDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'v1' }) version!: string;
  @ApiProperty({ enum: ['ingesting', 'ready', 'failed'] }) state!: TemplateVersionState;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: `Why the ingest failed (it may name the source's host and roles). ${ADMINS_ONLY}`,
  })
  error?: string | null;
  @ApiProperty() createdAt!: Date;
}

export class TemplateHostDto {
  @ApiProperty() hostId!: string;
  @ApiProperty({ description: 'The host the template is ingested on (`hostId` of the template)' })
  origin!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'v3',
    description: 'The newest version the host holds; null before the first one arrived',
  })
  version!: string | null;
  @ApiProperty({
    enum: ['replicating', 'ready', 'failed', 'removing'],
    description:
      'ready: containers can be made there; replicating: a version is on its way (the host serves `version`, if any); failed: the last send failed (`error`); removing: its copy is being destroyed',
  })
  state!: TemplateHostState;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Why the last send failed (admins only)',
  })
  error?: string | null;
}

export class TemplateDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The origin host: where the sources are ingested' })
  hostId!: string;
  @ApiProperty({
    type: [TemplateHostDto],
    description:
      'Every host the template is available on, the origin first (`POST /templates/:id/hosts` adds one)',
  })
  hosts!: TemplateHostDto[];
  @ApiProperty({ type: [TemplateSourceDto] }) sources!: TemplateSourceDto[];
  @ApiProperty({ type: TemplateVersionDto, nullable: true, description: 'Newest ready version' })
  latestVersion!: TemplateVersionDto | null;
  @ApiProperty({ description: 'Whether containers made from it get a superuser owner role' })
  ownerSuperuser!: boolean;
  @ApiProperty({ type: [String], description: 'Source roles that keep their login on the clones' })
  keepRoles!: string[];
  @ApiProperty() createdAt!: Date;
}

export class TemplateDetailDto extends TemplateDto {
  @ApiProperty({ type: [TemplateVersionDto] }) versions!: TemplateVersionDto[];
  @ApiPropertyOptional({
    type: TemplateHooksDto,
    description: `The masking SQL and scripts (they tell what the data hides). ${ADMINS_ONLY}`,
  })
  hooks?: TemplateHooksDto;
}
