import { describe, expect, it } from 'vitest';
import { bugUrl, bugUrlPatternProblem, equivalentBugRefs } from './bug-ref.js';

const PATTERN = 'https://jira.example.com/browse/{key}';

describe('bug references', () => {
  it('links keys through the pattern and keeps URLs as they are', () => {
    expect(bugUrl('BUG-4711', PATTERN)).toBe('https://jira.example.com/browse/BUG-4711');
    expect(bugUrl('https://tracker.example/7', PATTERN)).toBe('https://tracker.example/7');
    expect(bugUrl('BUG-4711', null)).toBeNull();
    expect(bugUrl(null, PATTERN)).toBeNull();
  });

  it('finds a bug by its key or by its link', () => {
    expect(equivalentBugRefs('BUG-1', PATTERN)).toEqual([
      'BUG-1',
      'https://jira.example.com/browse/BUG-1',
    ]);
    expect(equivalentBugRefs('https://jira.example.com/browse/BUG-1', PATTERN)).toEqual([
      'https://jira.example.com/browse/BUG-1',
      'BUG-1',
    ]);
    expect(equivalentBugRefs('https://other.example/BUG-1', PATTERN)).toEqual([
      'https://other.example/BUG-1',
    ]);
    expect(equivalentBugRefs('BUG-1', null)).toEqual(['BUG-1']);
  });

  it('validates the pattern', () => {
    expect(bugUrlPatternProblem(PATTERN)).toBeNull();
    expect(bugUrlPatternProblem('https://jira.example.com/browse/')).toMatch(/\{key\}/);
    expect(bugUrlPatternProblem('ftp://x/{key}')).toMatch(/http or https/);
  });
});
