// The office tree every scope check reads ("is this office inside my subtree?"): offices with their ancestors,
// as plain data. The offices feature loads it (offices/office-tree.ts) and keeps it current; every other feature
// only reads it through this interface.
export const OFFICE_LEVELS = ['ministry', 'department', 'division', 'district', 'upazila', 'other'] as const;
export type OfficeLevel = (typeof OFFICE_LEVELS)[number];

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

export interface OfficeTreeSnapshot {
  readonly marker: string;
  readonly byId: ReadonlyMap<string, OfficeNode>;
  readonly children: ReadonlyMap<string, readonly string[]>;
}

export class OfficeTree {
  constructor(private readonly s: OfficeTreeSnapshot) {}

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
