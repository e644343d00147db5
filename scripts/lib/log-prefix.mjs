// Reads a service's output on stdin and prints it line by line behind a fixed-width name,
// turning pino's JSON lines into "LEVEL [context] message" so the foreground run stays
// readable. With a second argument, the raw lines are also appended to that file (made 0600:
// logs may name users and containers).
// Usage: node log-prefix.mjs <name> [logfile]
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [name = 'log', logFile] = process.argv.slice(2);
const colors = { agent: 36, api: 35, seed: 33 };
const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const prefix = tty
  ? `\x1b[${colors[name] ?? 32}m${name.padEnd(6)}|\x1b[0m `
  : `${name.padEnd(6)}| `;
const levels = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Successful requests (pino-http) stay in the log file but not on the terminal. */
function routine(entry) {
  return entry.res?.statusCode < 400 && entry.level < 40 && entry.msg === 'request completed';
}

/** A pino line as one readable line (plus the error stack, if any); other lines unchanged. */
function readable(line) {
  if (!line.startsWith('{')) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || !('msg' in entry || 'level' in entry))
    return line;
  if (routine(entry)) return null;
  const level = levels[entry.level] ?? String(entry.level ?? '').toUpperCase();
  const context = entry.context ? `[${entry.context}] ` : '';
  const request = entry.req?.method ? `${entry.req.method} ${entry.req.url} ` : '';
  const status = entry.res?.statusCode ? `→ ${entry.res.statusCode} ` : '';
  const error = entry.err?.stack ?? entry.err?.message ?? '';
  return `${level.padEnd(5)} ${context}${request}${status}${entry.msg ?? ''}${error ? `\n${error}` : ''}`;
}

// SIGINT from the terminal goes to the whole group; keep reading so the last lines of the
// service's own shutdown are still shown. The pipe closing ends this process.
process.on('SIGINT', () => {});

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (logFile) appendFileSync(logFile, `${line}\n`, { mode: 0o600 });
  const text = readable(line);
  if (text !== null)
    for (const part of text.split('\n')) process.stdout.write(`${prefix}${part}\n`);
}
