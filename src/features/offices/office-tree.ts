// The office tree as an in-process read model. Every scope check ("is this office inside my subtree?") needs
// ancestors, and on the embedded engine any filter other than {_id} reads the whole collection, so the tree
// is loaded once and reloaded when the 'offices' change marker moves (platform/db/change-marker.ts).
import { changeMarker } from '../../platform/db/change-marker.js';
import { Office, type OfficeLevel } from './office.model.js';

export interface OfficeNode {
  readonly id: string;
  readonly code: string;
  readonly nameBn: string;
  readonly nameEn: string | undefined;
  readonly level: OfficeLevel;
  readonly parent: string | undefined;
  /** Root-first. */
  readonly ancestors: readonly string[];
  readonly active: boolean;
  readonly geoCode: string | undefined;
}

const marker = changeMarker('offices');

interface Snapshot {
  readonly marker: string;
  readonly byId: ReadonlyMap<string, OfficeNode>;
  readonly children: ReadonlyMap<string, readonly string[]>;
}

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

export class OfficeTree {
  constructor(private readonly s: Snapshot) {}

  get(id: string | undefined | null): OfficeNode | undefined {
    return id ? this.s.byId.get(String(id)) : undefined;
  }

  all(): OfficeNode[] {
    return [...this.s.byId.values()];
  }

  /** True when `officeId` is `rootId` or below it. */
  contains(rootId: string, officeId: string | undefined | null): boolean {
    if (!officeId) return false;
    const id = String(officeId);
    if (id === rootId) return true;
    return this.s.byId.get(id)?.ancestors.includes(rootId) ?? false;
  }

  /** `rootId` and every office below it. */
  subtreeIds(rootId: string): string[] {
    const out: string[] = [];
    const walk = (id: string): void => {
      out.push(id);
      for (const child of this.s.children.get(id) ?? []) walk(child);
    };
    if (this.s.byId.has(rootId)) walk(rootId);
    return out;
  }

  children(id: string): OfficeNode[] {
    return (this.s.children.get(id) ?? []).map((c) => this.s.byId.get(c)!);
  }

  /** "Name, parent name" path for pickers, root first. */
  path(id: string): OfficeNode[] {
    const node = this.s.byId.get(id);
    if (!node) return [];
    return [...node.ancestors.map((a) => this.s.byId.get(a)).filter((n): n is OfficeNode => !!n), node];
  }
}
