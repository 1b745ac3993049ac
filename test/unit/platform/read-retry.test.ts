// Faults answered at the edge: a transient database error is 503 with Retry-After and a Bangla/English
// message; a GET is tried once more before that, other methods are not.
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { MongoNetworkError, MongoServerError } from 'mongodb';
import request from 'supertest';
import { errorHandler } from '../../../src/platform/http/error-handler.js';
import { retryTransientReads } from '../../../src/platform/http/read-retry.js';
import { languageMiddleware } from '../../../src/platform/http/request-context.js';

describe('transient database errors at the edge', () => {
  let url: string;
  let server: http.Server;
  const calls: Record<string, number> = {};
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);

  before(async () => {
    const app = express();
    app.use(languageMiddleware());
    // Fails once with a dropped connection, then answers.
    app.get('/api/flaky', retryTransientReads(async (_req, res) => {
      if (count('flaky') === 1) throw new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed');
      res.json({ ok: true });
    }));
    app.get('/api/down', retryTransientReads(async () => {
      count('down');
      throw new MongoServerError({ code: 91, errmsg: 'The server is in quiesce mode and will shut down' });
    }));
    app.get('/api/bug', retryTransientReads(async () => {
      count('bug');
      throw new Error('a bug, not an outage');
    }));
    app.get('/api/next-err', retryTransientReads((_req, _res, next) => {
      if (count('next-err') === 1) return next(new MongoNetworkError('read ECONNRESET'));
      next();
    }), (_req, res) => {
      res.json({ reached: true });
    });
    app.post('/api/write', async () => {
      count('write');
      throw new MongoNetworkError('connection closed');
    });
    app.use(errorHandler);
    server = http.createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('when a GET meets a dropped connection once, then it is tried again and answers 200', async () => {
    const res = await request(url).get('/api/flaky').expect(200);
    expect(res.body).to.deep.equal({ ok: true });
    expect(calls.flaky).to.equal(2);
  });

  it('when a GET handler passes a transient error to next, then it is run again and the chain goes on', async () => {
    await request(url).get('/api/next-err').expect(200, { reached: true });
    expect(calls['next-err']).to.equal(2);
  });

  it('when the engine stays away, then the GET is tried twice and answers 503 with Retry-After and a Bangla message', async () => {
    const res = await request(url).get('/api/down').expect(503);
    expect(calls.down).to.equal(2);
    expect(res.headers['retry-after']).to.match(/^\d+$/);
    expect(res.body.error.code).to.equal('database_unavailable');
    expect(res.body.error.message).to.match(/[\u0980-\u09FF]/);
    const en = await request(url).get('/api/down?lang=en').expect(503);
    expect(en.body.error.message).to.match(/try again/i);
  });

  it('when a write meets a transient error, then it is not repeated and answers 503, not 500', async () => {
    const res = await request(url).post('/api/write').expect(503);
    expect(calls.write).to.equal(1);
    expect(res.body.error.code).to.equal('database_unavailable');
  });

  it('when a GET fails with an error that is not transient, then it is not retried and answers 500', async () => {
    await request(url).get('/api/bug').expect(500);
    expect(calls.bug).to.equal(1);
  });
});
