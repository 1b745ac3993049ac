// Signing in from tests: a cookie-keeping agent with its CSRF token, or a bearer token.
import { expect } from 'chai';
import request from 'supertest';
import { TEST_PASSWORD } from './factories.js';

export interface SignedIn {
  readonly agent: ReturnType<typeof request.agent>;
  /** The session's CSRF token, for form posts (field _csrf) and cookie-authenticated API writes (X-CSRF-Token). */
  readonly csrf: string;
}

/** Reads the CSRF token from the login form or a signed-in page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html) ?? /name="csrf-token" content="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

/** Signs in through the real login form (GET for the token, POST the credentials) and returns the agent. */
export async function signIn(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<SignedIn> {
  const agent = request.agent(baseUrl);
  const form = await agent.get('/login').expect(200);
  const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username, password });
  expect(res.status, `sign-in of ${username} failed: ${res.text.slice(0, 300)}`).to.equal(302);
  const home = await agent.get('/').expect(200);
  return { agent, csrf: csrfFrom(home.text) };
}

/** A bearer token for the user, through POST /api/v1/auth/token. */
export async function tokenFor(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<string> {
  const res = await request(baseUrl).post('/api/v1/auth/token').send({ username, password });
  expect(res.status, `token for ${username}: ${JSON.stringify(res.body)}`).to.equal(201);
  return res.body.token as string;
}

/** Settings of the lockout tests: 5 attempts, 15 minutes, and no per-address limit getting in the way. */
export const LOCKOUT_ENV = { LOCKOUT_ATTEMPTS: '5', LOCKOUT_MINUTES: '15', LOGIN_RATE_LIMIT: '1000' };

/** One token request, answered as it comes (no assertion: lockout tests count the statuses). */
export function tokenRequest(url: string, username: string, password: string): request.Test {
  return request(url).post('/api/v1/auth/token').send({ username, password });
}
