import { foldKey } from '../text/normalize.ts';
import { normalizePhone, validateTaxCode } from './identity.ts';
import { SCORING_CONFIG } from '../config.ts';

/** The shop fields that link shops into networks. */
export interface NetworkShop {
  marketplace: string;
  /** Marketplace shop id. */
  id: string;
  name: string;
  phone: string | null;
  taxCode: string | null;
  /** Only addresses that name a real place (complete / ward+province) may link shops; placeholders never do. */
  linkableAddress: string | null;
}

export type LinkKind = 'phone' | 'tax_code' | 'address' | 'name';

const LINK_KINDS: readonly LinkKind[] = ['phone', 'tax_code', 'address', 'name'];
const KIND_BIT: Record<LinkKind, number> = { phone: 1, tax_code: 2, address: 4, name: 8 };

export interface Network {
  /** Stable key: the smallest "marketplace:id" among members. */
  key: string;
  /** Indexes into the input array. */
  members: number[];
  linkKinds: LinkKind[];
  marketplaces: string[];
}

/** Union-find with path halving and union by size. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  }

  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    return true;
  }
}

/** Folded shop name without punctuation, spaces or a trailing number ("Gucci Store 2" → "guccistore"). */
export function nameKey(name: string): string {
  return foldKey(name).replace(/[^a-z0-9]+/g, '').replace(/\d+$/, '');
}

/** Name key with doubled letters collapsed and a trailing plural "s" dropped. */
export function nameSkeleton(key: string): string {
  return key.replace(/([a-z])\1+/g, '$1').replace(/s$/, '');
}

export function addressKey(address: string): string {
  return foldKey(address).replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * Groups shops that share a normalised phone, a tax code or a normalised address, or have
 * near-identical names (equal name keys, or one letter apart for long names), across marketplaces.
 * Links are transitive. Returns only networks of two or more shops.
 */
export function buildNetworks(shops: readonly NetworkShop[]): Network[] {
  const uf = new UnionFind(shops.length);
  // Bit per link kind, per shop: no per-edge allocation.
  const kindBits = new Uint8Array(shops.length);
  const firstByKey: Record<LinkKind | 'near_name', Map<string, number>> = {
    phone: new Map(),
    tax_code: new Map(),
    address: new Map(),
    name: new Map(),
    near_name: new Map(),
  };
  const link = (key: string, index: number, kind: LinkKind, table: Map<string, number> = firstByKey[kind]) => {
    const first = table.get(key);
    if (first === undefined) table.set(key, index);
    else if (first !== index) {
      uf.union(first, index);
      kindBits[first]! |= KIND_BIT[kind];
      kindBits[index]! |= KIND_BIT[kind];
    }
  };
  const minName = SCORING_CONFIG.network.minNameKey;
  for (let index = 0; index < shops.length; index++) {
    const shop = shops[index]!;
    if (shop.phone) {
      const phone = normalizePhone(shop.phone);
      if (phone.ok && phone.kind !== 'hotline') link(phone.e164, index, 'phone');
    }
    if (shop.taxCode) {
      const tax = validateTaxCode(shop.taxCode);
      const key = tax.ok ? tax.normalized.slice(0, 12) : shop.taxCode.replace(/\D+/g, '');
      if (key.length >= 10) link(key, index, 'tax_code');
    }
    if (shop.linkableAddress) {
      const key = addressKey(shop.linkableAddress);
      if (key.length >= 12) link(key, index, 'address');
    }
    const name = nameKey(shop.name);
    if (name.length >= minName) {
      link(name, index, 'name');
      // Near-identical spellings ("Sneakerr Store" / "Sneaker Stores"): one more key with doubled
      // letters collapsed and a plural "s" dropped — one map entry per shop, not one per deletion.
      const skeleton = nameSkeleton(name);
      if (skeleton !== name && skeleton.length >= minName) link(skeleton, index, 'name', firstByKey.near_name);
      else link(name, index, 'name', firstByKey.near_name);
    }
  }
  // Most shops link to nobody: count each root's members first, so only real networks get arrays.
  const roots = new Int32Array(shops.length);
  const sizes = new Int32Array(shops.length);
  for (let i = 0; i < shops.length; i++) sizes[(roots[i] = uf.find(i))]!++;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < shops.length; i++) {
    const root = roots[i]!;
    if (sizes[root]! < 2) continue;
    let group = groups.get(root);
    if (!group) groups.set(root, (group = []));
    group.push(i);
  }
  const networks: Network[] = [];
  for (const members of groups.values()) {
    const linkKinds = new Set<LinkKind>();
    const marketplaces = new Set<string>();
    let key = '';
    for (const i of members) {
      for (const kind of LINK_KINDS) if (kindBits[i]! & KIND_BIT[kind]) linkKinds.add(kind);
      marketplaces.add(shops[i]!.marketplace);
      const k = `${shops[i]!.marketplace}:${shops[i]!.id}`;
      if (key === '' || k < key) key = k;
    }
    networks.push({ key, members, linkKinds: [...linkKinds].sort(), marketplaces: [...marketplaces].sort() });
  }
  return networks;
}
