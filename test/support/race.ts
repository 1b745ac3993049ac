// Simultaneous requests that must have exactly one winner (the version claims of database.md's property 1).
import { expect } from 'chai';
import type request from 'supertest';

/** Sends n requests at once; checks one 200 and n − 1 × 409 `conflict`; returns the winner's index and the answers. */
export async function expectOneWinner(n: number, send: (i: number) => request.Test): Promise<{ winner: number; answers: request.Response[] }> {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => send(i).then((r) => r)));
  const statuses = answers.map((r) => r.status);
  const ok = statuses.flatMap((s, i) => (s === 200 ? [i] : []));
  expect(ok, `statuses: ${statuses.join(' ')}`).to.have.length(1);
  expect(statuses.filter((s) => s === 409), `statuses: ${statuses.join(' ')}`).to.have.length(n - 1);
  for (const r of answers.filter((x) => x.status === 409)) expect(r.body.error.code).to.equal('conflict');
  return { winner: ok[0]!, answers };
}
