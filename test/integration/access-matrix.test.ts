// The generated access test: every declared route × every role (and no one signed in) × a record in the
// actor's own office subtree / in an office outside it. The expected answer comes from the route's declared
// access and the policy's RULES table; a route that forgets to enforce its rule fails here.
import { expect } from 'chai';
import request from 'supertest';
import type { Types } from 'mongoose';
import { RULES, type Action } from '../../src/features/access/policy.js';
import type { RouteInfo } from '../../src/features/access/routes.js';
import { issueToken } from '../../src/features/users/api-tokens.js';
import { Initiative, Transition } from '../../src/features/initiatives/initiative.model.js';
import { Attachment, AttachmentFile } from '../../src/features/initiatives/attachment.model.js';
import { Charter } from '../../src/features/charters/charter.model.js';
import { ActionItem, Meeting } from '../../src/features/meetings/meeting.model.js';
import { MemoRegister } from '../../src/features/memo-numbers/memo.model.js';
import { VerifyCode } from '../../src/features/meetings/meeting.model.js';
import { User, ROLES, type Role } from '../../src/features/users/user.model.js';
import { fixedClock } from '../../src/lib/index.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { resetDatabase } from '../support/db.js';
import { createOffice, createUser, createWorld } from '../support/factories.js';
import { csrfFrom, signIn, tokenFor, type SignedIn } from '../support/auth.js';
import { pngImage } from '../support/images.js';
import { Letterhead } from '../../src/features/letterhead/letterhead.model.js';

type Who = Role | 'anonymous';
type Scope = 'own' | 'outside' | 'none';

/** Effective rule of a route for a target owned by someone else (own tokens are self.manage, others' token.manage). */
function effectiveAccess(route: RouteInfo): RouteInfo['access'] {
  if (route.access === 'self.manage' && route.path.includes(':tokenId')) return 'token.manage';
  return route.access;
}

type Expectation = 'allowed' | 'unauthenticated' | 'forbidden' | 'not_found';

function expected(route: RouteInfo, who: Who, scope: Scope): Expectation {
  const access = effectiveAccess(route);
  if (access === 'public') return 'allowed';
  if (who === 'anonymous') return 'unauthenticated';
  if (access === 'signed-in') return 'allowed';
  const rule: { roles: readonly Role[]; scope: string } = RULES[access as Action];
  if (!rule.roles.includes(who)) return 'forbidden';
  if (rule.scope === 'subtree' && scope === 'outside') return 'not_found';
  return 'allowed';
}

function classify(route: RouteInfo, res: request.Response): Expectation | `other ${number}` {
  if (res.status === 401) return 'unauthenticated';
  // Signing out ends at the sign-in page: that redirect is the route doing its job.
  if (res.status === 302 && String(res.headers.location).startsWith('/login') && route.path !== '/logout') return 'unauthenticated';
  if (res.status === 403) return 'forbidden';
  if (res.status === 404) return 'not_found';
  if (res.status >= 500) return `other ${res.status}`;
  return 'allowed'; // 2xx, 3xx elsewhere, 400/409/413/415/429: the guard let the request through
}

describe('access matrix: route × role × office scope', function () {
  // A correctness sweep, not a timing: ~300 s on a quiet machine, ~900 s beside other work on 2 cores.
  this.timeout(2_400_000);
  let server: TestServer;
  let routes: RouteInfo[];
  let world: Awaited<ReturnType<typeof createWorld>>;
  const sessions = new Map<Role, SignedIn>();
  const tokens = new Map<Role, string>();
  const usernames = new Map<Role, string>();
  let checked = 0;

  before(async () => {
    await resetDatabase();
    world = await createWorld();
    server = await startTestServer({ env: { LOGIN_RATE_LIMIT: '10000' } });
    routes = server.routes;
    // Each role acts from district A: its subtree is district A and upazila A; district B's side is outside.
    for (const role of ROLES) {
      const u = await createUser({ office: world.districtA, roles: [role], username: `matrix-${role.replace('_', '-')}` });
      usernames.set(role, u.username);
      sessions.set(role, await signIn(server.url, u.username));
      tokens.set(role, await tokenFor(server.url, u.username));
    }
  });
  after(() => server?.close());

  /** Fresh records for one request, so an allowed write (deactivate, revoke...) cannot spoil the next case. */
  async function fill(path: string, scope: Scope): Promise<string> {
    const district = scope === 'outside' ? world.districtB : world.districtA;
    let office: { _id: Types.ObjectId; ancestors: Types.ObjectId[] } | undefined;
    let user: Awaited<ReturnType<typeof createUser>> | undefined;
    let initiative: { _id: Types.ObjectId; areas: { _id: unknown }[] } | undefined;
    const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const values: Record<string, string> = {};
    for (const p of params) {
      switch (p) {
        case 'officeId':
          office ??= await createOffice({ parent: district, level: 'upazila' });
          values[p] = String(office._id);
          if (path.endsWith('/letterhead/logo')) {
            // The logo route answers 404 for an office without a logo: give this one a letterhead with a logo.
            const data = pngImage(2, 2);
            await Letterhead.create({ _id: String(office._id), office: office._id, version: 1, logo: { contentType: 'image/png', data, bytes: data.length, sha256: 'x' }, updatedAt: new Date() });
          }
          break;
        case 'userId':
        case 'chargeId':
        case 'tokenId': {
          office ??= await createOffice({ parent: district, level: 'upazila' });
          user ??= await createUser({ office, roles: ['field_officer'] });
          if (p === 'userId') values[p] = String(user._id);
          if (p === 'chargeId') {
            await User.updateOne({ _id: user._id }, { $push: { actingCharges: { office: office._id, roles: ['head'], designationBn: 'চলতি', from: '2020-01-01', to: '2030-12-31' } } });
            const reloaded = await User.findById(user._id).lean();
            values[p] = String(reloaded!.actingCharges.at(-1)!._id);
          }
          if (p === 'tokenId') {
            const actor = { userId: String(user._id), username: user.username, nameBn: user.nameBn, nameEn: undefined, language: 'bn' as const, mustChangePassword: false, posts: [{ office: String(office._id), roles: ['field_officer' as const], designationBn: 'x', designationEn: undefined, acting: false }], via: 'token' as const };
            values[p] = (await issueToken({ actor, clock: fixedClock(new Date()) }, { tokenDays: 30 })).id;
          }
          break;
        }
        case 'initiativeId':
        case 'transitionId':
        case 'attachmentId':
        case 'areaId': {
          office ??= await createOffice({ parent: district, level: 'upazila' });
          initiative ??= await Initiative.create({
            title: 'ম্যাট্রিক্স উদ্যোগ',
            kind: 'idea',
            office: office._id,
            stage: 'idea',
            stageEnteredAt: new Date(),
            areas: [{ nameBn: 'এলাকা', status: 'planned' }],
          });
          if (p === 'initiativeId') values[p] = String(initiative._id);
          if (p === 'areaId') values[p] = String(initiative.areas[0]!._id);
          if (p === 'attachmentId') {
            // A stored attachment: its record and its bytes under "<initiative id>-1".
            const id = `${String(initiative._id)}-1`;
            const data = Buffer.from('%PDF-1.4\n%%EOF\n');
            await Attachment.create({ _id: id, initiative: initiative._id, office: office._id, n: 1, state: 'stored', name: 'প্রমাণক.pdf', contentType: 'application/pdf', size: data.length, sha256: 'x', uploadedBy: { name: 'x' }, uploadedAt: new Date() });
            await AttachmentFile.create({ _id: id, initiative: initiative._id, name: 'প্রমাণক.pdf', contentType: 'application/pdf', size: data.length, sha256: 'x', data, createdAt: new Date() });
            values[p] = id;
          }
          if (p === 'transitionId') {
            const t = await Transition.create({ initiative: initiative._id, office: office._id, from: 'idea', to: 'pilot', status: 'pending', proposedBy: { name: 'x' }, proposedAt: new Date() });
            values[p] = String(t._id);
          }
          break;
        }
        case 'serviceKey': {
          // The office (named earlier in the path) with a charter holding citizen service 1.
          office ??= await createOffice({ parent: district, level: 'upazila' });
          if (!(await Charter.exists({ _id: String(office._id) }))) {
            await Charter.create({ _id: String(office._id), office: office._id, version: 1, current: true, services: [{ section: 'citizen', serial: '1', name: 'ম্যাট্রিক্স সেবা', timeLimit: '৩ কার্যদিবস', timeLimitDays: 3 }], importedAt: new Date() });
          }
          values[p] = 'citizen-1';
          break;
        }
        case 'meetingId': {
          office ??= await createOffice({ parent: district, level: 'upazila' });
          // A draft: actions that need another status answer 409, which is the guard letting the call through.
          const m = await Meeting.create({ office: office._id, kind: 'review', subject: 'ম্যাট্রিক্স সভা', chair: { text: 'সভাপতি' }, startsAt: new Date(), series: 'matrix' });
          values[p] = String(m._id);
          break;
        }
        case 'code': {
          // A public verification code of issued minutes (the PDF itself is rendered on the first download).
          office ??= await createOffice({ parent: district, level: 'upazila' });
          const code = `MATRIX${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
          const m = await Meeting.create({ office: office._id, kind: 'review', subject: 'যাচাই সভা', chair: { text: 'সভাপতি' }, startsAt: new Date(), series: 'matrix', status: 'issued', memoNumber: '১.১-১', issuedAt: new Date(), verifyCode: code });
          await VerifyCode.create({ _id: code, meeting: m._id });
          values[p] = code;
          break;
        }
        case 'decisionId': {
          office ??= await createOffice({ parent: district, level: 'upazila' });
          const d = await ActionItem.create({ meeting: office._id, office: office._id, text: 'ম্যাট্রিক্স সিদ্ধান্ত', status: 'open' });
          values[p] = String(d._id);
          break;
        }
        case 'registerId': {
          office ??= await createOffice({ parent: district, level: 'upazila' });
          const r = await MemoRegister.create({ office: office._id, name: 'ম্যাট্রিক্স বহি', layout: '2014', segments: ['ministry', 'department', 'geo', 'branch', 'subject', 'file', 'year'].map((key, i) => ({ key, value: '1', width: [2, 2, 4, 3, 2, 3, 2][i] })) });
          values[p] = String(r._id);
          break;
        }
        default:
          throw new Error(`the matrix does not know how to fill :${p} in ${path}: teach fill() about it`);
      }
    }
    return path.replace(/:(\w+)/g, (_, p: string) => values[p]!);
  }

  async function call(route: RouteInfo, who: Who, url: string): Promise<request.Response> {
    const method = route.method;
    if (route.kind === 'api') {
      const r = request(server.url)[method](url);
      if (who !== 'anonymous') r.set('Authorization', `Bearer ${tokens.get(who)}`);
      return method === 'get' || method === 'delete' ? r : r.send({});
    }
    if (who === 'anonymous') {
      if (method === 'get') return request(server.url).get(url);
      // A visitor's form carries a valid CSRF token (from the sign-in page), so the guard is what answers.
      const agent = request.agent(server.url);
      const csrf = csrfFrom((await agent.get('/login')).text);
      return agent[method](url).type('form').send({ _csrf: csrf });
    }
    const s = sessions.get(who)!;
    const res = method === 'get' ? await s.agent.get(url) : await s.agent[method](url).type('form').send({ _csrf: s.csrf });
    if (route.path === '/logout') sessions.set(who, await signIn(server.url, usernames.get(who)!));
    return res;
  }

  it('when every route is called by every role on records inside and outside its subtree, then each answer follows the declared rule', async () => {
    const failures: string[] = [];
    const whoList: Who[] = ['anonymous', ...ROLES];
    for (const route of routes) {
      const scopes: Scope[] = route.path.includes(':') ? ['own', 'outside'] : ['none'];
      for (const who of whoList) {
        for (const scope of scopes) {
          const url = await fill(route.path, scope);
          const res = await call(route, who, url);
          const want = expected(route, who, scope);
          const got = classify(route, res);
          checked += 1;
          if (got !== want) failures.push(`${route.method.toUpperCase()} ${route.path} as ${who} (${scope}): expected ${want}, got ${got} [${res.status}]`);
        }
      }
    }
    console.log(`      (${routes.length} routes, ${checked} route × role × scope cases)`);
    expect(failures, failures.join('\n')).to.deep.equal([]);
  });

  it('when the rules table is read, then it says what the product promises', () => {
    // The declarations themselves, checked against the issue's words.
    expect(RULES['user.manage'].roles).to.deep.equal(['admin']);
    expect(RULES['office.manage'].roles).to.deep.equal(['admin']);
    expect(RULES['audit.read'].roles).to.deep.equal(['admin']);
    for (const [action, rule] of Object.entries(RULES)) {
      if (action.endsWith('.read') || action === 'home.view' || action === 'self.manage') continue;
      expect(rule.roles as readonly string[], `${action}: observers read only`).not.to.include('observer');
    }
    expect(routes.length).to.be.greaterThan(10);
    expect(routes.every((r) => r.access === 'public' || r.access === 'signed-in' || r.access in RULES)).to.equal(true);
  });
});
