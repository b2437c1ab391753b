import { foldKey } from '../text/normalize.ts';
import { normalizePhone, validateTaxCode } from './identity.ts';
import { SCORING_CONFIG } from '../config.ts';
import { isGenericShopName } from './shop-names.ts';

/** The shop fields that link shops into networks. */
export interface NetworkShop {
  marketplace: string;
  /** Marketplace shop id. */
  id: string;
  name: string;
  phone: string | null;
  taxCode: string | null;
  email?: string | null;
  bankAccount?: string | null;
  /** Only a located street address (quality "complete") may link shops; placeholders and bare provinces never do. */
  linkableAddress: string | null;
}

export type LinkKind = 'phone' | 'tax_code' | 'email' | 'bank_account' | 'address' | 'name';
export type LinkStrength = 'strong' | 'medium' | 'weak';

/** Identical identifiers a business registers are strong; a shared street address is medium (markets, malls); a name is weak. */
export const LINK_STRENGTH: Readonly<Record<LinkKind, LinkStrength>> = {
  phone: 'strong',
  tax_code: 'strong',
  email: 'strong',
  bank_account: 'strong',
  address: 'medium',
  name: 'weak',
};

const STRENGTH_RANK: Record<LinkStrength, number> = { weak: 0, medium: 1, strong: 2 };
const LINK_KINDS: readonly LinkKind[] = ['phone', 'tax_code', 'email', 'bank_account', 'address', 'name'];

/** One piece of evidence that two shops are run by the same people. */
export interface NetworkLink {
  /** Indexes into the input array. */
  a: number;
  b: number;
  kind: LinkKind;
  strength: LinkStrength;
  /** The shared value as normalised (phone in E.164, tax code digits, folded address or name key). */
  value: string;
}

export interface Network {
  /** Stable key: the smallest "marketplace:id" among members. */
  key: string;
  /** Indexes into the input array, in "marketplace:id" order (so the first member is `key`'s). */
  members: number[];
  linkKinds: LinkKind[];
  marketplaces: string[];
  /** The links that joined the members (one per join: a spanning tree), strongest first. */
  links: NetworkLink[];
}

/** A linked group too large to be one operator: reported, not merged. */
export interface NetworkReview {
  key: string;
  members: number[];
  linkKinds: LinkKind[];
  /** The links most likely to be wrong: weakest kind first, then values shared by the most shops. */
  weakestLinks: (NetworkLink & { shops: number })[];
}

export interface NetworkResult {
  networks: Network[];
  review: NetworkReview[];
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
  return foldKey(name)
    .replace(/[^a-z0-9]+/g, '')
    .replace(/\d+$/, '');
}

/** Name key with doubled letters collapsed and a trailing plural "s" dropped. */
export function nameSkeleton(key: string): string {
  return key.replace(/([a-z])\1+/g, '$1').replace(/s$/, '');
}

export function addressKey(address: string): string {
  return foldKey(address)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Lower-cased e-mail with surrounding space removed; null when it is not an address. */
export function emailKey(email: string): string | null {
  const key = email.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/.test(key) ? key : null;
}

/** Digits of a bank account number (banks print them grouped); null when too short to identify anyone. */
export function bankAccountKey(account: string): string | null {
  const digits = account.replace(/\D+/g, '');
  return digits.length >= 6 ? digits : null;
}

/** The shop's name key when its name can identify anyone: generic names ("Phụ Kiện Điện Thoại 247") cannot. */
function identifyingName(name: string): string | null {
  if (isGenericShopName(name)) return null;
  const key = nameKey(name);
  return key.length >= SCORING_CONFIG.network.minNameKey ? key : null;
}

/**
 * Groups shops run by the same people, across marketplaces, from the evidence that links them:
 * - a strong link (identical normalised phone, tax code, e-mail or bank account) joins two shops;
 * - a medium link (identical located street address) joins them only with a weak one between the
 *   same two shops (a near-identical, identifying name): a market building houses many sellers;
 * - a weak link alone never joins, and a generic name (common words plus digits) is no link at all.
 * Links are transitive. A group larger than `maxSize` is not a network but a suspect link (a shared
 * hotline, a mall's address): it goes to `review` with its weakest links. Networks have two or more shops.
 */
export function findNetworks(shops: readonly NetworkShop[], options: { maxSize?: number } = {}): NetworkResult {
  const maxSize = options.maxSize ?? SCORING_CONFIG.network.maxSize;
  const uf = new UnionFind(shops.length);
  const joins: NetworkLink[] = [];
  const firstByKey = new Map<string, number>();
  /** How many shops share each repeated value (kind|value): a review names the most shared first. */
  const sharing = new Map<string, number>();
  const link = (
    kind: LinkKind,
    value: string,
    index: number,
    viaKey: string = `${kind}\u0000${value}`,
    also: LinkKind | null = null,
  ): void => {
    const first = firstByKey.get(viaKey);
    if (first === undefined) {
      firstByKey.set(viaKey, index);
      return;
    }
    if (first === index) return;
    const counted = `${kind}|${value}`;
    sharing.set(counted, (sharing.get(counted) ?? 1) + 1);
    if (uf.union(first, index)) {
      joins.push({ a: first, b: index, kind, strength: LINK_STRENGTH[kind], value });
      if (also)
        joins.push({
          a: first,
          b: index,
          kind: also,
          strength: LINK_STRENGTH[also],
          value: viaKey.slice(viaKey.lastIndexOf('\u0000') + 1),
        });
    }
  };
  // Shops are visited in key order, so the links kept as evidence and every order below do not depend
  // on the input's order (score-file sees shops as listings name them, the database by row id).
  const keys = shops.map((shop) => `${shop.marketplace}:${shop.id}`);
  const order = Array.from(keys.keys()).sort((x, y) => (keys[x]! < keys[y]! ? -1 : keys[x]! > keys[y]! ? 1 : x - y));
  for (const index of order) {
    const shop = shops[index]!;
    if (shop.phone) {
      const phone = normalizePhone(shop.phone);
      // Hotlines (1800/1900) are switchboards many businesses rent: never an identity.
      if (phone.ok && phone.kind !== 'hotline') link('phone', phone.e164, index);
    }
    if (shop.taxCode) {
      const tax = validateTaxCode(shop.taxCode);
      const key = tax.ok ? tax.normalized.slice(0, 12) : shop.taxCode.replace(/\D+/g, '');
      if (key.length >= 10) link('tax_code', key, index);
    }
    if (shop.email) {
      const key = emailKey(shop.email);
      if (key) link('email', key, index);
    }
    if (shop.bankAccount) {
      const key = bankAccountKey(shop.bankAccount);
      if (key) link('bank_account', key, index);
    }
    if (shop.linkableAddress) {
      const address = addressKey(shop.linkableAddress);
      const name = address.length >= 12 ? identifyingName(shop.name) : null;
      if (name) {
        // Address and name corroborate each other only between the same two shops: one key holds both.
        link('address', address, index, `address+name\u0000${address}\u0000${name}`, 'name');
        // Near-identical spellings ("Sneakerr Store" / "Sneaker Stores"): doubled letters and a plural "s" dropped.
        const skeleton = nameSkeleton(name);
        if (skeleton !== name) link('address', address, index, `address+skeleton\u0000${address}\u0000${skeleton}`, 'name');
        else link('address', address, index, `address+skeleton\u0000${address}\u0000${name}`, 'name');
      }
    }
  }
  // Most shops link to nobody: count each root's members first, so only real groups get arrays.
  const roots = new Int32Array(shops.length);
  const sizes = new Int32Array(shops.length);
  for (let i = 0; i < shops.length; i++) sizes[(roots[i] = uf.find(i))]!++;
  const groups = new Map<number, { members: number[]; links: NetworkLink[] }>();
  for (const i of order) {
    const root = roots[i]!;
    if (sizes[root]! < 2) continue;
    let group = groups.get(root);
    if (!group) groups.set(root, (group = { members: [], links: [] }));
    group.members.push(i);
  }
  for (const join of joins) groups.get(roots[join.a]!)!.links.push(join);
  const networks: Network[] = [];
  const review: NetworkReview[] = [];
  for (const { members, links } of groups.values()) {
    const kinds = new Set<LinkKind>();
    for (const l of links) kinds.add(l.kind);
    const linkKinds = LINK_KINDS.filter((kind) => kinds.has(kind));
    const marketplaces = new Set<string>();
    // Members are in key order: the first is the network's key.
    const key = keys[members[0]!]!;
    for (const i of members) marketplaces.add(shops[i]!.marketplace);
    if (members.length > maxSize) {
      const shared = (l: NetworkLink): number => sharing.get(`${l.kind}|${l.value}`) ?? 2;
      const byValue = new Map<string, NetworkLink & { shops: number }>();
      for (const l of links) if (!byValue.has(`${l.kind}|${l.value}`)) byValue.set(`${l.kind}|${l.value}`, { ...l, shops: shared(l) });
      const weakestLinks = [...byValue.values()]
        .sort((x, y) => STRENGTH_RANK[x.strength] - STRENGTH_RANK[y.strength] || y.shops - x.shops)
        .slice(0, SCORING_CONFIG.network.evidenceLinks);
      review.push({ key, members, linkKinds, weakestLinks });
      continue;
    }
    links.sort((x, y) => STRENGTH_RANK[y.strength] - STRENGTH_RANK[x.strength]);
    networks.push({ key, members, linkKinds, marketplaces: [...marketplaces].sort(), links });
  }
  return { networks, review };
}

/** The networks of {@link findNetworks}, without the groups sent to review. */
export function buildNetworks(shops: readonly NetworkShop[], options: { maxSize?: number } = {}): Network[] {
  return findNetworks(shops, options).networks;
}

/** "phone +84901234567 (shopee:123 – lazada:456)": one link as an investigator reads it. */
export function describeLink(link: NetworkLink, shops: readonly { marketplace: string; id: string }[]): string {
  const a = shops[link.a]!;
  const b = shops[link.b]!;
  return `${link.kind.replace('_', ' ')} ${link.value} (${link.strength}; ${a.marketplace}:${a.id} – ${b.marketplace}:${b.id})`;
}
