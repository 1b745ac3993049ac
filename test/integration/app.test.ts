import { expect } from 'chai';
import request from 'supertest';
import { startTestServer, type TestServer } from '../support/app.js';

describe('app skeleton', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ clock: '2025-09-29T05:00:00Z' });
  });
  after(() => server.close());

  it('when the database answers, then GET /healthz is 200 {"status":"ok"}', async () => {
    const res = await request(server.url).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
    expect(res.headers['cache-control']).to.equal('no-store');
  });

  it('when the database does not answer, then GET /healthz is 503', async () => {
    const down = await startTestServer({ ping: async () => false });
    try {
      const res = await request(down.url).get('/healthz').expect(503);
      expect(res.body.status).to.equal('unavailable');
    } finally {
      await down.close();
    }
  });

  it('when the home page is opened, then it is Bangla with both calendars and the fiscal quarter from the clock', async () => {
    const res = await request(server.url).get('/').expect(200);
    expect(res.headers['content-type']).to.match(/text\/html/);
    expect(res.text).to.include('<html lang="bn">');
    expect(res.text).to.include('১৪ আশ্বিন ১৪৩২ বঙ্গাব্দ / ২৯ সেপ্টেম্বর ২০২৫ খ্রিষ্টাব্দ');
    expect(res.text).to.include('২০২৫-২৬ অর্থবছরের ১ম ত্রৈমাসিক');
  });

  it('when ?lang=en is chosen, then the page is English and the choice is remembered in a cookie', async () => {
    const res = await request(server.url).get('/?lang=en').expect(200);
    expect(res.text).to.include('<html lang="en">');
    const cookie = res.headers['set-cookie'] as unknown as string[];
    expect(cookie.join(';')).to.match(/lang=en/);
    const again = await request(server.url).get('/').set('Cookie', 'lang=en').expect(200);
    expect(again.text).to.include('Initiatives, review meetings');
  });

  it('when a page is served, then a strict CSP forbids inline script and outside origins, and a request id is returned', async () => {
    const res = await request(server.url).get('/').expect(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).to.include("default-src 'self'");
    expect(csp).to.include("script-src 'self'");
    expect(csp).not.to.include('unsafe-inline');
    expect(csp).to.include("frame-ancestors 'none'");
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-powered-by']).to.equal(undefined);
  });

  it('when an asset or the Bangla font is requested, then the app serves it itself (no CDN)', async () => {
    await request(server.url).get('/assets/css/app.css').expect(200).expect('content-type', /css/);
    const font = await request(server.url).get('/assets/fonts/noto-sans-bengali-bengali-400-normal.woff2').expect(200);
    expect(Number(font.headers['content-length'])).to.be.greaterThan(10_000);
  });

  it('when an unknown API path is requested, then the answer is JSON {error:{code,message}} in Bangla', async () => {
    const res = await request(server.url).get('/api/v1/nothing-here').expect(404);
    expect(res.body.error.code).to.equal('not_found');
    expect(res.body.error.message).to.equal('পৃষ্ঠাটি পাওয়া যায়নি।');
    expect(res.body.error.messages.en).to.equal('Page not found.');
  });

  it('when an unknown page is requested, then a Bangla HTML 404 page is shown', async () => {
    const res = await request(server.url).get('/no/such/page').set('Accept', 'text/html').expect(404);
    expect(res.headers['content-type']).to.match(/text\/html/);
    expect(res.text).to.include('৪০৪');
    expect(res.text).to.include('পৃষ্ঠাটি পাওয়া যায়নি।');
  });

  it('when malformed JSON is posted to the API, then 400 invalid_json, not a crash', async () => {
    const res = await request(server.url).post('/api/v1/anything').set('Content-Type', 'application/json').send('{"a":').expect(400);
    expect(res.body.error.code).to.equal('invalid_json');
  });

  it('when the OpenAPI document is requested, then it is OpenAPI 3 and lists the endpoints', async () => {
    const res = await request(server.url).get('/api/v1/openapi.json').expect(200);
    expect(res.body.openapi).to.match(/^3\./);
    expect(res.body.paths).to.have.property('/healthz');
    expect(res.body.paths['/healthz'].get.responses).to.have.property('503');
  });
});
