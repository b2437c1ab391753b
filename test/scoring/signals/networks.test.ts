import { describe, expect, it } from 'vitest';
import { buildNetworks, nameKey, type NetworkShop } from '../../../scoring/signals/networks.ts';

const NAMES: Record<string, string> = { a: 'Mỹ phẩm Hoa Mai', b: 'Giày dép Bình An', c: 'Đồng hồ Tân Phú', d: 'Phụ kiện Quang Huy', e: 'Thời trang Linh Chi' };
const shop = (id: string, over: Partial<NetworkShop> = {}): NetworkShop => ({ marketplace: 'shopee', id, name: NAMES[id]!, phone: null, taxCode: null, linkableAddress: null, ...over });

describe('networks', () => {
  it('links by normalised phone across marketplaces, and transitively', () => {
    const networks = buildNetworks([
      shop('a', { phone: '0903 123 456' }),
      shop('b', { marketplace: 'lazada', phone: '+84903123456', taxCode: '0300588569' }),
      shop('c', { marketplace: 'tiki', taxCode: '0300588569' }),
      shop('d', { phone: '0987654321' }),
    ]);
    expect(networks).toHaveLength(1);
    expect(networks[0]!.members).toEqual([0, 1, 2]);
    expect(networks[0]!.linkKinds).toEqual(['phone', 'tax_code']);
    expect(networks[0]!.marketplaces).toEqual(['lazada', 'shopee', 'tiki']);
  });
  it('links by normalised address and by near-identical names', () => {
    const networks = buildNetworks([
      shop('a', { linkableAddress: '12 Lê Lợi, P. Bến Thành, TP.HCM' }),
      shop('b', { linkableAddress: '12 le loi p ben thanh tp hcm' }),
      shop('c', { name: 'Sneaker Rep Store 19' }),
      shop('d', { name: 'Sneaker Rep Store 20' }),
      shop('e', { name: 'Sneakerr Rep Stores' }),
    ]);
    expect(networks.map((n) => n.members)).toEqual([[0, 1], [2, 3, 4]]);
  });
  it('does not link on hotlines, missing data or short generic names', () => {
    expect(buildNetworks([shop('a', { phone: '1900 1234' }), shop('b', { phone: '19001234' }), shop('c', { name: 'Shop' }), shop('d', { name: 'Shop' })])).toEqual([]);
  });
  it('different names stay apart', () => {
    expect(buildNetworks([shop('a', { name: 'Sneaker Rep Store' }), shop('b', { name: 'Sneaker Top Store' })])).toEqual([]);
  });
  it('nameKey folds case, diacritics, spacing and a trailing number', () => {
    expect(nameKey('Hàng Hiệu Giá Xưởng 538')).toBe(nameKey('hang hieu gia xuong'));
  });
});
