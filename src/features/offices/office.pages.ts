// The office pages: the list, an office's page, the new and edit forms, deactivate and reactivate. Every
// route names its access on its line; handlers that load an office check its scope through the service
// (404 outside the caller's subtree) before reading the form.
import { ConflictError, ValidationError } from '../../kernel/errors.js';
import { flash } from '../../platform/http/flash.js';
import { parseForm, parseOrThrow } from '../../platform/http/validation.js';
import { renderForm, valuesOfBody, valuesOfRecord } from './office.form.js';
import { both, dateFor, digitsFor, langOf, localFields, tOf } from './office.http.js';
import { OFFICE_LEVELS } from './office.model.js';
import { getOffice, listOffices } from './office.queries.js';
import { createOfficeSchema, listOfficesQuery, MEMO_SEGMENT_KEYS, officeFormToInput, updateOfficeSchema } from './office.schemas.js';
import { createOffice, deactivateOffice, reactivateOffice, updateOffice, type OfficePeople } from './office.service.js';
import { officeTree } from './office-tree.js';
import { listRow, memoPreview } from './office.views.js';
import { DISTRICTS } from './reference/bd-geography.js';
import { actorOf, contextOf, decide, permittedPosts, type Routes } from '../access/index.js';
import type { RequestContext } from '../../kernel/context.js';

const collator = new Intl.Collator('bn');

/** Registers the office pages under /admin/offices (the order matters: /new before /:officeId). */
export function officePages(pages: Routes, people: OfficePeople): void {
  pages.get('/admin/offices', 'office.read', async (req, res) => {
    const lang = langOf(res);
    const t = tOf(res);
    const q = parseOrThrow(listOfficesQuery, req.query);
    const actor = actorOf(req);
    const filtered = !!(q.q || q.level || q.parent || q.active);
    const items = await listOffices(actor, {
      q: q.q,
      level: q.level,
      parent: q.parent,
      active: q.active === undefined ? undefined : q.active === 'true',
    });
    const tree = await officeTree();
    const canManage = permittedPosts(actor, 'office.manage').length > 0;
    res.render('offices/index', {
      title: t('offices.title'),
      q,
      filtered,
      canManage,
      count: digitsFor(lang, items.length),
      levels: OFFICE_LEVELS.map((l) => ({ value: l, label: t(`offices.levels.${l}`), selected: q.level === l })),
      rows: items.map((i) =>
        listRow(i, lang, t, canManage && decide(actor, 'office.manage', tree, { office: i.id }) === 'allow', filtered),
      ),
    });
  });

  pages.get('/admin/offices/new', 'office.manage', async (req, res) => {
    // Without ?parent= the admin's own office is proposed, so a root office is never created by oversight.
    const parent =
      typeof req.query.parent === 'string' ? req.query.parent : (permittedPosts(actorOf(req), 'office.manage')[0]?.office ?? '');
    await renderForm(req, res, 200, { mode: 'new', values: { level: 'upazila', parent }, errors: {} });
  });

  pages.post('/admin/offices/new', 'office.manage', async (req, res) => {
    const lang = langOf(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = valuesOfBody(body);
    const parsed = parseForm(createOfficeSchema, officeFormToInput(body, 'create'), lang);
    if (!parsed.ok) return renderForm(req, res, 400, { mode: 'new', values, errors: parsed.errors });
    try {
      const created = await createOffice(contextOf(req), parsed.data);
      flash(req, 'success', both('offices.created', { bn: { name: created.nameBn }, en: { name: created.nameEn ?? created.nameBn } }));
      res.redirect(303, `/admin/offices/${created.id}`);
    } catch (err) {
      if (err instanceof ValidationError) return renderForm(req, res, 400, { mode: 'new', values, errors: localFields(err.fields, lang) });
      throw err;
    }
  });

  pages.get('/admin/offices/:officeId', 'office.read', async (req, res) => {
    const lang = langOf(res);
    const t = tOf(res);
    const actor = actorOf(req);
    const office = await getOffice(contextOf(req), String(req.params.officeId), 'office.read');
    const tree = await officeTree();
    const name = (n: { nameBn: string; nameEn?: string | null | undefined }) => (lang === 'en' ? (n.nameEn ?? n.nameBn) : n.nameBn);
    const readable = (id: string) => decide(actor, 'office.read', tree, { office: id }) === 'allow';
    const parent = tree.get(office.parent);
    const district = DISTRICTS.find((d) => d.iso === office.districtIso);
    res.render('offices/show', {
      title: name(office),
      office: {
        ...office,
        name: name(office),
        other: lang === 'en' ? office.nameBn : office.nameEn,
        level: t(`offices.levels.${office.level}`),
        geoCode: digitsFor(lang, office.geoCode),
        phone: office.phone ? digitsFor(lang, office.phone) : null,
        district: district ? name(district) : null,
        version: digitsFor(lang, office.version),
        updatedAt: office.updatedAt ? dateFor(lang, new Date(office.updatedAt)) : null,
      },
      parent: parent ? { id: parent.id, name: name(parent), link: readable(parent.id) } : null,
      path: tree
        .path(office.id)
        .slice(0, -1)
        .map((p) => ({ id: p.id, name: name(p), link: readable(p.id) })),
      memo: MEMO_SEGMENT_KEYS.map((k) => ({ label: t(`offices.memo.${k}`), value: digitsFor(lang, office.memoSegments?.[k]) || '—' })),
      memoPreview: memoPreview(office, lang),
      children: tree
        .children(office.id)
        .filter((c) => readable(c.id))
        .sort((a, b) => collator.compare(a.nameBn, b.nameBn))
        .map((c) => ({
          id: c.id,
          name: name(c),
          level: t(`offices.levels.${c.level}`),
          active: c.active,
          geoCode: digitsFor(lang, c.geoCode),
        })),
      canManage: decide(actor, 'office.manage', tree, { office: office.id }) === 'allow',
    });
  });

  pages.get('/admin/offices/:officeId/edit', 'office.manage', async (req, res) => {
    const office = await getOffice(contextOf(req), String(req.params.officeId), 'office.manage');
    await renderForm(req, res, 200, { mode: 'edit', office, values: valuesOfRecord(office, langOf(res)), errors: {} });
  });

  pages.post('/admin/offices/:officeId/edit', 'office.manage', async (req, res) => {
    const lang = langOf(res);
    const ctx = contextOf(req);
    const id = String(req.params.officeId);
    const office = await getOffice(ctx, id, 'office.manage'); // 404 outside the subtree, before reading the form
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = valuesOfBody(body);
    const parsed = parseForm(updateOfficeSchema, officeFormToInput(body, 'update'), lang);
    if (!parsed.ok) return renderForm(req, res, 400, { mode: 'edit', office, values, errors: parsed.errors });
    try {
      const after = await updateOffice(ctx, id, parsed.data);
      const names = { bn: { name: after.nameBn }, en: { name: after.nameEn ?? after.nameBn } };
      if (after.version === office.version && after.version === parsed.data.version) flash(req, 'info', both('offices.unchanged'));
      else flash(req, 'success', both(after.parent !== office.parent ? 'offices.moved' : 'offices.updated', names));
      res.redirect(303, `/admin/offices/${id}`);
    } catch (err) {
      if (err instanceof ValidationError)
        return renderForm(req, res, 400, { mode: 'edit', office, values, errors: localFields(err.fields, lang) });
      if (err instanceof ConflictError && Array.isArray(err.details?.changed)) {
        // Keep what the person typed, show what changed meanwhile, and let a second save be a conscious overwrite.
        const current = await getOffice(ctx, id, 'office.manage');
        return renderForm(req, res, 409, {
          mode: 'edit',
          office: current,
          values: { ...values, version: String(current.version) },
          errors: {},
          conflict: { changed: err.details.changed as string[] },
        });
      }
      throw err;
    }
  });

  for (const [path, run, done] of [
    ['deactivate', (ctx: RequestContext, id: string) => deactivateOffice(ctx, id, people), 'offices.deactivated'],
    ['reactivate', reactivateOffice, 'offices.reactivated'],
  ] as const) {
    pages.post(`/admin/offices/:officeId/${path}`, 'office.manage', async (req, res) => {
      const id = String(req.params.officeId);
      try {
        const after = await run(contextOf(req), id);
        flash(req, 'success', both(done, { bn: { name: after.nameBn }, en: { name: after.nameEn ?? after.nameBn } }));
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        flash(req, 'error', err.messages);
      }
      res.redirect(303, `/admin/offices/${id}`);
    });
  }
}
