/**
 * The container or branch name of a pull request: `pr-<repository's last part>-<number>`, in
 * the letters, digits, "." "_" and "-" both names allow, at most 128 characters.
 */
export function databaseName(repository: string, number: number): string {
  const suffix = `-${number}`;
  const repo = (repository.split('/').pop() ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 128 - 'pr-'.length - suffix.length);
  return `pr-${repo || 'repo'}${suffix}`.replace(/--+/g, '-');
}
