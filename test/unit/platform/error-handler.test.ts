import http from 'node:http';
import path from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { PROJECT_ROOT } from '../../../src/config.js';
import { ConflictError, ForbiddenError, TooManyRequestsError, ValidationError } from '../../../src/kernel/errors.js';
import { errorHandler } from '../../../src/platform/http/error-handler.js';
import { languageMiddleware } from '../../../src/platform/http/request-context.js';
import { configureViews } from '../../../src/platform/http/views.js';

describe('error handler', () => {
  let url: string;
  let server: http.Server;
  before(async () => {
    const app = express();
    configureViews(app, path.join(PROJECT_ROOT, 'views'));
    app.use(languageMiddleware());
    const routes: Record<string, () => never> = {
      validation: () => {
        throw new ValidationError({ title: 'শিরোনাম দিন' });
      },
      conflict: () => {
        throw new ConflictError(undefined, { changed: ['title'] });
      },
      forbidden: () => {
        throw new ForbiddenError();
      },
      slow: () => {
        throw new TooManyRequestsError({ bn: 'অপেক্ষা করুন', en: 'Wait' }, { retryAfterSeconds: 120 });
      },
      crash: () => {
        throw new Error('secret internal detail');
      },
    };
    for (const [name, fn] of Object.entries(routes)) {
      app.get(`/api/${name}`, fn);
      app.get(`/page/${name}`, fn);
    }
    app.use(errorHandler);
    server = http.createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('when a ValidationError reaches the API, then 400 with code, Bangla message and the field messages', async () => {
    const res = await request(url).get('/api/validation').expect(400);
    expect(res.body.error).to.include({ code: 'validation_failed' });
    expect(res.body.error.message).to.match(/[\u0980-\u09FF]/);
    expect(res.body.error.fields).to.deep.equal({ title: 'শিরোনাম দিন' });
  });

  it('when English is chosen, then the API message is English', async () => {
    const res = await request(url).get('/api/forbidden?lang=en').expect(403);
    expect(res.body.error.message).to.equal('You are not allowed to do this.');
  });

  it('when a ConflictError carries details, then they are returned for the client to show', async () => {
    const res = await request(url).get('/api/conflict').expect(409);
    expect(res.body.error.details).to.deep.equal({ changed: ['title'] });
  });

  it('when a request is rate limited, then Retry-After is set', async () => {
    const res = await request(url).get('/api/slow').expect(429);
    expect(res.headers['retry-after']).to.equal('120');
  });

  it('when an unexpected error happens, then 500 with a reassuring message and no internal detail', async () => {
    const api = await request(url).get('/api/crash').expect(500);
    expect(api.body.error.code).to.equal('internal');
    expect(JSON.stringify(api.body)).not.to.include('secret internal detail');
    const page = await request(url).get('/page/crash').set('Accept', 'text/html').expect(500);
    expect(page.text).to.include('আপনার সংরক্ষিত তথ্য নিরাপদ আছে');
    expect(page.text).not.to.include('secret internal detail');
  });
});
