// Counts the passed and failed tests of one suite run and prints "<passed> <failed>".
// Reads the JSON report when the runner wrote one (vitest's json reporter), otherwise the
// summary lines of its console output (vitest "Tests  3 passed | 1 failed (4)", playwright
// "3 passed"). A run that exited non-zero counts at least one failure, so a suite that
// crashed before reporting cannot pass unnoticed.
// Usage: node test-report.mjs <json-report> <console-log> <exit-code>
import { existsSync, readFileSync } from 'node:fs';

const [jsonFile = '', logFile = '', exitCodeText = '0'] = process.argv.slice(2);

function fromJson() {
  if (!jsonFile || !existsSync(jsonFile)) return null;
  try {
    const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
    if (typeof report.numPassedTests !== 'number') return null;
    // A file that failed to load has no failed test of its own; count it as one failure.
    const brokenFiles = (report.testResults ?? []).filter(
      (file) =>
        file.status === 'failed' &&
        !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
    ).length;
    return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles };
  } catch {
    return null;
  }
}

function count(line, word) {
  const match = new RegExp(`(\\d+) ${word}`).exec(line);
  return match ? Number(match[1]) : 0;
}

// Terminal colour codes, which vitest writes even into a log.
// eslint-disable-next-line no-control-regex
const COLOURS = /\x1b\[[0-9;]*m/g;

function fromLog() {
  if (!logFile || !existsSync(logFile)) return null;
  const lines = readFileSync(logFile, 'utf8').replace(COLOURS, '').split('\n');
  const vitest = lines.filter((line) => /^\s*Tests\s+\d/.test(line));
  if (vitest.length > 0) {
    return vitest.reduce(
      (sum, line) => ({
        passed: sum.passed + count(line, 'passed'),
        failed: sum.failed + count(line, 'failed'),
      }),
      { passed: 0, failed: 0 },
    );
  }
  const playwright = lines.filter((line) => /^\s*\d+ (passed|failed|flaky)\b/.test(line));
  if (playwright.length > 0) {
    return {
      passed: playwright.reduce((n, line) => n + count(line, 'passed'), 0),
      failed: playwright.reduce((n, line) => n + count(line, 'failed') + count(line, 'flaky'), 0),
    };
  }
  return null;
}

const result = fromJson() ?? fromLog() ?? { passed: 0, failed: 0 };
if (Number(exitCodeText) !== 0 && result.failed === 0) result.failed = 1;
process.stdout.write(`${result.passed} ${result.failed}\n`);
