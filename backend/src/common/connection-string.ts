/** A connection string without its password: URL form (`postgres://u:p@h/db`) or key=value form. */
export function withoutPassword(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '';
    url.searchParams.delete('password');
    return url.toString();
  } catch {
    return connectionString.replace(/\s*\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S*)/gi, '').trim();
  }
}
