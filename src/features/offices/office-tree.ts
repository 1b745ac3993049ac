// The office tree as an in-process read model. Every scope check ("is this office inside my subtree?") needs
// ancestors, and on the embedded engine any filter other than {_id} reads the whole collection, so the tree
// is loaded once and reloaded when the 'offices' change marker moves (platform/db/change-marker.ts).
import { changeMarker } from '../../platform/db/change-marker.js';
import { OfficeTree, type OfficeNode, type OfficeTreeSnapshot as Snapshot } from '../../kernel/office-tree.js';
import { Office } from './office.model.js';

export { OfficeTree, type OfficeNode } from '../../kernel/office-tree.js';

const marker = changeMarker('offices');

let snapshot: Snapshot | undefined;
let loading: Promise<Snapshot> | undefined;

/** Call after any office write, so every app instance reloads its tree within a second. */
export async function markOfficesChanged(): Promise<void> {
  await marker.bump();
}

async function load(marker: string): Promise<Snapshot> {
  const docs = await Office.find({}, { code: 1, nameBn: 1, nameEn: 1, level: 1, parent: 1, ancestors: 1, active: 1, geoCode: 1 }).lean();
  const byId = new Map<string, OfficeNode>();
  const children = new Map<string, string[]>();
  for (const d of docs) {
    const id = String(d._id);
    const parent = d.parent ? String(d.parent) : undefined;
    byId.set(id, {
      id,
      code: d.code,
      nameBn: d.nameBn,
      nameEn: d.nameEn ?? undefined,
      level: d.level,
      parent,
      ancestors: (d.ancestors ?? []).map(String),
      active: d.active !== false,
      geoCode: d.geoCode ?? undefined,
    });
    if (parent) {
      const list = children.get(parent) ?? [];
      list.push(id);
      children.set(parent, list);
    }
  }
  return { marker, byId, children };
}

/** The current tree (reloaded when another instance or this one changed an office). */
export async function officeTree(): Promise<OfficeTree> {
  // The marker is read by _id at most every 500 ms; a change made by this instance shows at once.
  const version = await marker.version();
  if (!snapshot || snapshot.marker !== version) {
    loading ??= load(version).finally(() => {
      loading = undefined;
    });
    snapshot = await loading;
  }
  return new OfficeTree(snapshot);
}
