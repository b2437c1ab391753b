import { describe, expect, it } from 'vitest';
import { buildNetworks, describeLink, findNetworks, nameKey, type NetworkShop } from '../../../scoring/signals/networks.ts';
import { isGenericShopName } from '../../../scoring/signals/shop-names.ts';

const NAMES: Record<string, string> = {
  a: 'Mỹ phẩm Hoa Mai',
  b: 'Giày dép Bình An',
  c: 'Đồng hồ Tân Phú',
  d: 'Phụ kiện Quang Huy',
  e: 'Thời trang Linh Chi',
};
const shop = (id: string, over: Partial<NetworkShop> = {}): NetworkShop => ({
  marketplace: 'shopee',
  id,
  name: NAMES[id]!,
  phone: null,
  taxCode: null,
  linkableAddress: null,
  ...over,
});

describe('networks', () => {
  it('links by normalised phone across marketplaces, and transitively', () => {
    const networks = buildNetworks([
      shop('a', { phone: '0903 123 456' }),
      shop('b', { marketplace: 'lazada', phone: '+84903123456', taxCode: '0300588569' }),
      shop('c', { marketplace: 'tiki', taxCode: '0300588569' }),
      shop('d', { phone: '0987654321' }),
    ]);
    expect(networks).toHaveLength(1);
    expect(networks[0]!.members).toEqual([1, 0, 2]); // in key order: lazada:b, shopee:a, tiki:c
    expect(networks[0]!.linkKinds).toEqual(['phone', 'tax_code']);
    expect(networks[0]!.marketplaces).toEqual(['lazada', 'shopee', 'tiki']);
  });
  it('a shared located address links two shops only with an identifying name that corroborates it', () => {
    const result = findNetworks([
      shop('a', { name: 'Tuấn Phát Store 2', linkableAddress: '12 Lê Lợi, P. Bến Thành, TP.HCM' }),
      shop('b', { name: 'Tuan Phat Store', linkableAddress: '12 le loi p ben thanh tp hcm' }),
      // Same address, another name: a neighbour in the building, not a sister shop.
      shop('c', { name: 'Mỹ phẩm Hoa Mai', linkableAddress: '12 Lê Lợi, P. Bến Thành, TP.HCM' }),
      // Same name, another address: a weak link alone never joins.
      shop('d', { name: 'Tuấn Phát Store 9', linkableAddress: '7 Hai Bà Trưng, P. Sài Gòn, TP.HCM' }),
      shop('e', { name: 'Tuấn Phát Store 10' }),
    ]);
    expect(result.networks.map((n) => n.members)).toEqual([[0, 1]]);
    expect(result.networks[0]!.links.map((l) => [l.kind, l.strength])).toEqual([
      ['address', 'medium'],
      ['name', 'weak'],
    ]);
  });
  it('near-identical identifying names corroborate a shared address (doubled letters, plural s)', () => {
    const at = '5 Trần Phú, Phường Hà Đông, Hà Nội';
    expect(
      buildNetworks([
        shop('a', { name: 'Kim Ngân Sneakerr', linkableAddress: at }),
        shop('b', { name: 'Kim Ngan Sneakers', linkableAddress: at }),
      ]).map((n) => n.members),
    ).toEqual([[0, 1]]);
  });
  it('generic names (common words plus digits) are no identity, even at one market address', () => {
    const market = 'Chợ Bến Thành, 12 Lê Lợi, P. Bến Thành, TP.HCM';
    expect(isGenericShopName('Phụ Kiện Điện Thoại 247')).toBe(true);
    expect(isGenericShopName('Kho Sỉ Hàng Hiệu 68')).toBe(true);
    expect(isGenericShopName('Tuấn Phát Store 2')).toBe(false);
    expect(
      buildNetworks([
        shop('a', { name: 'Phụ Kiện Điện Thoại 247', linkableAddress: market }),
        shop('b', { name: 'Phụ Kiện Điện Thoại 88', linkableAddress: market }),
        shop('c', { name: 'Phụ kiện điện thoại', linkableAddress: market }),
      ]),
    ).toEqual([]);
  });
  it('strong links join alone: e-mail and bank account as well as phone and tax code', () => {
    const networks = buildNetworks([
      shop('a', { email: ' Kho.Hang@Gmail.com ' }),
      shop('b', { email: 'kho.hang@gmail.com', bankAccount: '0071 0006 12345' }),
      shop('c', { bankAccount: '007100061 2345' }),
      shop('d', { email: 'not an address' }),
      shop('e', { email: 'not an address' }),
    ]);
    expect(networks.map((n) => n.members)).toEqual([[0, 1, 2]]);
    expect(networks[0]!.linkKinds).toEqual(['email', 'bank_account']);
    expect(networks[0]!.links.every((l) => l.strength === 'strong')).toBe(true);
  });
  it('a group larger than the size limit goes to review with its weakest links, not merged', () => {
    const shops: NetworkShop[] = Array.from({ length: 8 }, (_, i) => ({
      ...shop('a'),
      id: `s${i}`,
      name: `Shop ${i}`,
      phone: '0903 123 456',
    }));
    shops.push({ ...shop('b'), id: 'x', taxCode: '0300588569' }, { ...shop('c'), id: 'y', taxCode: '0300588569' });
    const result = findNetworks(shops, { maxSize: 5 });
    expect(result.networks.map((n) => n.members)).toEqual([[8, 9]]);
    expect(result.review).toHaveLength(1);
    expect(result.review[0]!.members).toHaveLength(8);
    expect(result.review[0]!.weakestLinks[0]).toMatchObject({ kind: 'phone', value: '+84903123456', shops: 8 });
  });
  it('keeps the joining links as evidence: one per joined shop', () => {
    const networks = buildNetworks([
      shop('a', { phone: '0903123456' }),
      shop('b', { phone: '0903123456', taxCode: '0300588569' }),
      shop('c', { taxCode: '0300588569' }),
    ]);
    expect(networks[0]!.links).toHaveLength(2);
    expect(
      describeLink(
        networks[0]!.links[0]!,
        [shop('a'), shop('b'), shop('c')].map((x, i) => ({ ...x, id: `id${i}` })),
      ),
    ).toContain('phone +84903123456 (strong; shopee:id0 – shopee:id1)');
  });
  it('does not link on hotlines, missing data or short generic names', () => {
    expect(
      buildNetworks([
        shop('a', { phone: '1900 1234' }),
        shop('b', { phone: '19001234' }),
        shop('c', { name: 'Shop' }),
        shop('d', { name: 'Shop' }),
      ]),
    ).toEqual([]);
  });
  it('different names stay apart, even at one address', () => {
    const at = '5 Trần Phú, Phường Hà Đông, Hà Nội';
    expect(
      buildNetworks([
        shop('a', { name: 'Kim Ngân Store', linkableAddress: at }),
        shop('b', { name: 'Bảo Long Store', linkableAddress: at }),
      ]),
    ).toEqual([]);
  });
  it('nameKey folds case, diacritics, spacing and a trailing number', () => {
    expect(nameKey('Hàng Hiệu Giá Xưởng 538')).toBe(nameKey('hang hieu gia xuong'));
  });
});
