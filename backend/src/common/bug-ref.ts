/**
 * A bookmark's bug reference is either a tracker URL or a key such as `BUG-4711`; with a URL
 * pattern (BP_BUG_URL_PATTERN, `{key}` standing for the key) keys become links too.
 */
const KEY_PLACEHOLDER = '{key}';

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The link of a reference: itself when it is a URL, the pattern filled in for a key, else null. */
export function bugUrl(ref: string | null, pattern: string | null): string | null {
  if (!ref) return null;
  if (isHttpUrl(ref)) return ref;
  return pattern ? pattern.replace(KEY_PLACEHOLDER, encodeURIComponent(ref)) : null;
}

/** Stored references that mean the same bug as `ref`: the ref itself, and its key or link form. */
export function equivalentBugRefs(ref: string, pattern: string | null): string[] {
  const refs = new Set([ref]);
  if (pattern) {
    if (!isHttpUrl(ref)) refs.add(bugUrl(ref, pattern)!);
    else {
      const [prefix, suffix] = pattern.split(KEY_PLACEHOLDER) as [string, string];
      if (
        ref.startsWith(prefix) &&
        ref.endsWith(suffix) &&
        ref.length > prefix.length + suffix.length
      )
        refs.add(decodeURIComponent(ref.slice(prefix.length, ref.length - suffix.length)));
    }
  }
  return [...refs];
}

/** Problem with a configured pattern, or null when it is usable. */
export function bugUrlPatternProblem(pattern: string): string | null {
  if (pattern.split(KEY_PLACEHOLDER).length !== 2)
    return `BP_BUG_URL_PATTERN must contain "${KEY_PLACEHOLDER}" exactly once`;
  if (!isHttpUrl(pattern.replace(KEY_PLACEHOLDER, 'KEY')))
    return 'BP_BUG_URL_PATTERN must be an http or https URL';
  return null;
}
