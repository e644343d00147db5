import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toAgentError } from './errors.js';
import { registerOperations } from './operations.js';

describe('operation ids', () => {
  let app: FastifyInstance;
  let runs: number;
  let clock: number;
  let gate: Promise<void>;
  let open: () => void;

  beforeEach(async () => {
    runs = 0;
    clock = 0;
    gate = new Promise((resolve) => (open = resolve));
    app = Fastify();
    app.setErrorHandler(async (error, _request, reply) => {
      const body = toAgentError(error);
      return reply.code(body.statusCode).send(body);
    });
    registerOperations(app, { ttlMs: 1000, maxAnswers: 2, now: () => clock });
    // Each run answers its own number, so a replayed answer is told from a new run.
    app.put('/v1/things/:id', async (request) => ({ run: ++runs, body: request.body }));
    app.put('/v1/slow', async () => {
      const run = ++runs;
      await gate;
      return { run };
    });
    app.post('/v1/failing', async () => {
      ++runs;
      throw new Error('boom');
    });
    app.get('/v1/things', async () => ({ run: ++runs }));
    await app.ready();
  });

  afterEach(() => app.close());

  const put = (url: string, id: string | undefined, body: unknown = { a: 1 }) =>
    app.inject({
      method: 'PUT',
      url,
      headers: id === undefined ? {} : { 'x-operation-id': id },
      payload: body as object,
    });

  it('replays the answer of a finished call repeated with the same id', async () => {
    const first = await put('/v1/things/1', 'job-1:1');
    const again = await put('/v1/things/1', 'job-1:1');
    expect(first.json()).toEqual({ run: 1, body: { a: 1 } });
    expect(again.statusCode).toBe(200);
    expect(again.headers['content-type']).toMatch(/application\/json/);
    expect(again.json()).toEqual({ run: 1, body: { a: 1 } });
    expect(runs).toBe(1);
  });

  it('joins a repeat of a call still running instead of running it twice', async () => {
    const first = put('/v1/slow', 'op.a');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = put('/v1/slow', 'op.a');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs).toBe(1);
    open();
    const answers = await Promise.all([first, second]);
    expect(answers.map((answer) => answer.json())).toEqual([{ run: 1 }, { run: 1 }]);
    expect(runs).toBe(1);
  });

  it('runs a different call under the same id (the next call of a job attempt)', async () => {
    await put('/v1/things/1', 'job-2:1');
    expect((await put('/v1/things/2', 'job-2:1')).json()).toMatchObject({ run: 2 });
    expect((await put('/v1/things/1', 'job-2:1', { a: 2 })).json()).toMatchObject({ run: 3 });
    expect((await put('/v1/things/1', 'job-2:2')).json()).toMatchObject({ run: 4 });
  });

  it('runs every call without an id, and never replays reads', async () => {
    await put('/v1/things/1', undefined);
    await put('/v1/things/1', undefined);
    const read = () =>
      app.inject({ method: 'GET', url: '/v1/things', headers: { 'x-operation-id': 'r' } });
    await read();
    await read();
    expect(runs).toBe(4);
  });

  it('runs a failed call again when it is repeated', async () => {
    const post = () =>
      app.inject({ method: 'POST', url: '/v1/failing', headers: { 'x-operation-id': 'f' } });
    expect((await post()).statusCode).toBe(500);
    expect((await post()).statusCode).toBe(500);
    expect(runs).toBe(2);
  });

  it('forgets answers after the time limit and beyond the count limit, oldest first', async () => {
    await put('/v1/things/1', 'old');
    clock = 1000;
    expect((await put('/v1/things/1', 'old')).json()).toMatchObject({ run: 2 });
    await put('/v1/things/2', 'b');
    await put('/v1/things/3', 'c');
    // Three answers were kept at most two: `old` (the oldest) went first.
    expect((await put('/v1/things/1', 'old')).json()).toMatchObject({ run: 5 });
    expect((await put('/v1/things/3', 'c')).json()).toMatchObject({ run: 4 });
  });

  it('names the operation id in the log lines of a failing call', async () => {
    const lines: string[] = [];
    const logged = Fastify({
      logger: { level: 'warn', stream: { write: (line: string) => void lines.push(line) } },
    });
    registerOperations(logged);
    logged.post('/v1/failing', async (request) => {
      request.log.error('it failed');
      return {};
    });
    await logged.inject({
      method: 'POST',
      url: '/v1/failing',
      headers: { 'x-operation-id': 'j:3' },
    });
    await logged.close();
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ operationId: 'j:3', msg: 'it failed' }),
    ]);
  });

  it.each(['', 'a b', 'x'.repeat(129), 'semi;colon', 'ünï'])(
    'refuses the operation id %j with a 400 naming the header, running nothing',
    async (id) => {
      const answer = await put('/v1/things/1', id);
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'bad-request' });
      expect(answer.json().message).toMatch(/x-operation-id/);
      expect(runs).toBe(0);
    },
  );
});
