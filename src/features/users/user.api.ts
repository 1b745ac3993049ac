// The users feature's JSON API (/api/v1/users, /api/v1/me) with its response shapes and OpenAPI description.
import { z } from 'zod';
import type { OpenApiRegistry } from '../../platform/http/openapi.js';
import { parseOrThrow } from '../../platform/http/validation.js';
import { contextOf, type Routes } from '../access/index.js';
import { addActingCharge, createUser, removeActingCharge, resetPassword, updateUser } from './admin.service.js';
import { getUser, listUsers } from './directory.service.js';
import { changeOwnPassword, updateOwnProfile } from './profile.service.js';
import { ROLES } from './user.model.js';
import { param } from './user.presenters.js';
import type { ActingChargeView, UserDetail, UserSummary } from './user.records.js';
import {
  actingChargeSchema,
  changePasswordSchema,
  createUserSchema,
  listQuerySchema,
  patchUserSchema,
  profileSchema,
} from './user.schemas.js';

const officeOut = z.object({ id: z.string(), name: z.string(), nameEn: z.string().nullable() });
const summaryOut = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  designation: z.string(),
  designationEn: z.string().nullable(),
  office: officeOut,
  roles: z.array(z.enum(ROLES)),
  active: z.boolean(),
});
const chargeOut = z.object({
  id: z.string(),
  office: officeOut,
  roles: z.array(z.enum(ROLES)),
  designation: z.string(),
  designationEn: z.string().nullable(),
  from: z.string().describe('YYYY-MM-DD (Dhaka)'),
  to: z.string().describe('YYYY-MM-DD (Dhaka), inclusive'),
  note: z.string().nullable(),
  status: z.enum(['current', 'upcoming', 'ended']),
});
const detailOut = summaryOut.extend({
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.enum(['bn', 'en']),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  passwordChangedAt: z.string().nullable(),
  version: z.number().int().describe('Send it back with PATCH'),
  actingCharges: z.array(chargeOut),
});

function apiSummary(u: UserSummary): z.infer<typeof summaryOut> {
  return {
    id: u.id,
    username: u.username,
    name: u.nameBn,
    nameEn: u.nameEn,
    designation: u.designationBn,
    designationEn: u.designationEn,
    office: { id: u.office.id, name: u.office.nameBn, nameEn: u.office.nameEn },
    roles: u.roles,
    active: u.active,
  };
}

function apiCharge(c: ActingChargeView): z.infer<typeof chargeOut> {
  return {
    id: c.id,
    office: { id: c.office.id, name: c.office.nameBn, nameEn: c.office.nameEn },
    roles: c.roles,
    designation: c.designationBn,
    designationEn: c.designationEn,
    from: c.from,
    to: c.to,
    note: c.note,
    status: c.status,
  };
}

function apiDetail(u: UserDetail): z.infer<typeof detailOut> {
  return {
    ...apiSummary(u),
    email: u.email,
    phone: u.phone,
    language: u.language,
    mustChangePassword: u.mustChangePassword,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    passwordChangedAt: u.passwordChangedAt?.toISOString() ?? null,
    version: u.version,
    actingCharges: u.actingCharges.map(apiCharge),
  };
}

const apiListQuery = listQuerySchema.extend({ pageSize: z.coerce.number().int().min(1).max(100).default(50) });

export function userApi(apiRoutes: Routes, api: OpenApiRegistry): void {
  apiRoutes.get('/users', 'user.read', async (req, res) => {
    const q = parseOrThrow(apiListQuery, req.query);
    const list = await listUsers(contextOf(req), q);
    res.json({ items: list.items.map(apiSummary), total: list.total, page: list.page, pageSize: list.pageSize });
  });

  apiRoutes.post('/users', 'user.manage', async (req, res) => {
    const input = parseOrThrow(createUserSchema, req.body ?? {});
    const { user, oneTimePassword } = await createUser(contextOf(req), input);
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ ...apiDetail(user), oneTimePassword });
  });

  apiRoutes.get('/users/:userId', 'user.read', async (req, res) => {
    res.json(apiDetail(await getUser(contextOf(req), param(req, 'userId'), 'user.read')));
  });

  apiRoutes.patch('/users/:userId', 'user.manage', async (req, res) => {
    const ctx = contextOf(req);
    const user = await getUser(ctx, param(req, 'userId'), 'user.manage');
    const input = parseOrThrow(patchUserSchema, req.body ?? {});
    res.json(apiDetail(await updateUser(ctx, user.id, input)));
  });

  apiRoutes.post('/users/:userId/reset-password', 'user.manage', async (req, res) => {
    const { oneTimePassword } = await resetPassword(contextOf(req), param(req, 'userId'));
    res.set('Cache-Control', 'no-store');
    res.json({ oneTimePassword });
  });

  apiRoutes.post('/users/:userId/acting-charges', 'user.manage', async (req, res) => {
    const ctx = contextOf(req);
    const user = await getUser(ctx, param(req, 'userId'), 'user.manage');
    const input = parseOrThrow(actingChargeSchema, req.body ?? {});
    res.status(201).json(apiCharge(await addActingCharge(ctx, user.id, input)));
  });

  apiRoutes.delete('/users/:userId/acting-charges/:chargeId', 'user.manage', async (req, res) => {
    await removeActingCharge(contextOf(req), param(req, 'userId'), param(req, 'chargeId'));
    res.status(204).end();
  });

  apiRoutes.patch('/me', 'self.manage', async (req, res) => {
    const input = parseOrThrow(profileSchema, req.body ?? {});
    res.json(apiDetail(await updateOwnProfile(contextOf(req), input)));
  });

  apiRoutes.post('/me/password', 'self.manage', async (req, res) => {
    await changeOwnPassword(contextOf(req), parseOrThrow(changePasswordSchema, req.body ?? {}));
    res.status(204).end();
  });

  registerOpenApi(api);
}

function registerOpenApi(api: OpenApiRegistry): void {
  const tags = ['users'];
  const listOut = z.object({ items: z.array(summaryOut), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
  const conflict = {
    description: 'Changed by someone else since `version`: error.details.changed names the fields, details.version is current',
  };
  api.add({
    method: 'get',
    path: '/api/v1/users',
    summary: 'People the caller may see (their office subtree), to fill references; q matches names, username and designation',
    tags,
    auth: true,
    query: apiListQuery,
    responses: { 200: { description: 'A page of people', schema: listOut } },
  });
  api.add({
    method: 'post',
    path: '/api/v1/users',
    summary: 'Create a user (admin; office within the admin’s subtree); the one-time password is returned once',
    tags,
    auth: true,
    body: createUserSchema,
    responses: {
      201: { description: 'Created', schema: detailOut.extend({ oneTimePassword: z.string() }) },
      400: { description: 'Invalid fields (e.g. username taken)' },
    },
  });
  api.add({
    method: 'get',
    path: '/api/v1/users/{userId}',
    summary: 'One person, with version and acting charges',
    tags,
    auth: true,
    responses: { 200: { description: 'The person', schema: detailOut }, 404: { description: 'Unknown or outside the caller’s offices' } },
  });
  api.add({
    method: 'patch',
    path: '/api/v1/users/{userId}',
    summary: 'Edit a user (admin): send the version you read and the fields to change (active: false deactivates)',
    tags,
    auth: true,
    body: patchUserSchema,
    responses: { 200: { description: 'Saved', schema: detailOut }, 409: conflict },
  });
  api.add({
    method: 'post',
    path: '/api/v1/users/{userId}/reset-password',
    summary: 'Replace the password with a new one-time password (admin), returned once',
    tags,
    auth: true,
    responses: { 200: { description: 'The one-time password', schema: z.object({ oneTimePassword: z.string() }) } },
  });
  api.add({
    method: 'post',
    path: '/api/v1/users/{userId}/acting-charges',
    summary: 'Give a user an acting charge (চলতি/অতিরিক্ত দায়িত্ব): office, roles, designation, Dhaka dates from–to',
    tags,
    auth: true,
    body: actingChargeSchema,
    responses: { 201: { description: 'The charge', schema: chargeOut } },
  });
  api.add({
    method: 'delete',
    path: '/api/v1/users/{userId}/acting-charges/{chargeId}',
    summary: 'Remove an acting charge',
    tags,
    auth: true,
    responses: { 204: { description: 'Removed' } },
  });
  api.add({
    method: 'patch',
    path: '/api/v1/me',
    summary: 'Edit one’s own names, e-mail, phone and language (not roles, office or username)',
    tags,
    auth: true,
    body: profileSchema,
    responses: { 200: { description: 'Saved', schema: detailOut }, 409: conflict },
  });
  api.add({
    method: 'post',
    path: '/api/v1/me/password',
    summary: 'Change one’s own password (current password required; new one at least 10 characters)',
    tags,
    auth: true,
    body: changePasswordSchema,
    responses: { 204: { description: 'Changed' }, 400: { description: 'Wrong current password or unacceptable new one' } },
  });
}
