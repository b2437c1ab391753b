import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressFromText, isLandline, landlineFromText } from '../../../crawlers/adapters/contact-text.ts';
import { createShopeeAdapter } from '../../../crawlers/adapters/shopee.ts';
import { resolveAddress } from '../../../scoring/address/index.ts';
import { routeProvince } from '../../../scoring/address/route.ts';
import { expectOk, fixture, page, request } from './helpers.ts';

const base = 'http://127.0.0.1:4010/shopee';

describe('address and landline a seller writes in its own text', () => {
  it('reads a labelled address up to the line end or the next contact label', () => {
    expect(addressFromText('Chuyên sỉ lẻ.\nĐịa chỉ shop: 45/2 Nguyễn Thị Minh Khai, P. Đa Kao, Q.1, TP.HCM\nZalo 0903111222')).toBe(
      '45/2 Nguyễn Thị Minh Khai, P. Đa Kao, Q.1, TP.HCM',
    );
    expect(addressFromText('Đ/c: Số 12 Trần Phú, Phường Hải Châu, Đà Nẵng ĐT: 0236 3821 234')).toBe(
      'Số 12 Trần Phú, Phường Hải Châu, Đà Nẵng',
    );
    expect(addressFromText('ĐỊA CHỈ: 8 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội | Hotline 1900 1234')).toBe('8 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội');
    expect(addressFromText('dia chi: 99 le loi, p ben thanh, q1, tphcm')).toBe('99 le loi, p ben thanh, q1, tphcm');
    // NFD text (as some sellers paste it) is read like NFC.
    expect(addressFromText('Địa chỉ: 3 Hùng Vương, Huế'.normalize('NFD'))).toBe('3 Hùng Vương, Huế');
  });

  it("ignores addresses that are not the seller's, and text without a label", () => {
    expect(addressFromText('Địa chỉ bảo hành: 215 Nguyễn Văn Cừ, Q.5, TP.HCM')).toBeNull();
    expect(addressFromText('Giao hàng toàn quốc, kiểm tra hàng trước khi thanh toán. Shop ở 12 Lê Lợi TP.HCM')).toBeNull();
    expect(addressFromText('Địa chỉ: ...')).toBeNull();
    expect(addressFromText(null)).toBeNull();
    expect(addressFromText(42)).toBeNull();
  });

  it('reads a labelled landline, never a mobile or a hotline', () => {
    expect(landlineFromText('ĐT: (028) 3910 2233 – Zalo 0903 111 222')).toBe('(028) 3910 2233');
    expect(landlineFromText('Điện thoại: +84 24 3825 1234')).toBe('+84 24 3825 1234');
    expect(landlineFromText('SĐT 0236.3821.234')).toBe('0236.3821.234');
    expect(landlineFromText('SĐT: 0903 111 222')).toBeNull();
    expect(landlineFromText('Tel: 1900 1234')).toBeNull();
    // A landline without a label may be anyone's (a brand's switchboard): not taken.
    expect(landlineFromText('Tổng đài chính hãng 028 3822 1234')).toBeNull();
    // A mobile first, then the landline: the landline is found.
    expect(landlineFromText('SĐT: 0903 111 222, ĐT: 028 3910 2233')).toBe('028 3910 2233');
  });

  it('never throws, and returns only text it found after a label (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('Địa chỉ:', 'ĐT:', 'Đ/c: ', 'address:')),
        fc.string(),
        (label, rest) => {
          const text = `${label}${rest}`;
          const address = addressFromText(text);
          if (address !== null) {
            expect(text.normalize('NFC').replace(/\s+/gu, ' ')).toContain(address);
            expect(address.length).toBeLessThanOrEqual(160);
          }
          const phone = landlineFromText(text);
          if (phone !== null) {
            expect(text.normalize('NFC')).toContain(phone);
            expect(isLandline(phone)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds any landline written after a label, in any of the usual spellings (property)', () => {
    const area = fc.constantFrom('24', '28', '236', '292', '203');
    fc.assert(
      fc.property(
        area,
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }),
        fc.constantFrom(' ', '.', '-', ''),
        fc.constantFrom('0', '+84 '),
        fc.constantFrom('ĐT: ', 'Điện thoại ', 'Tel:', 'liên hệ: '),
        (code, digits, sep, trunk, label) => {
          const subscriber = digits.slice(0, 10 - code.length).join('');
          const written = `${trunk}${code}${sep}${subscriber.slice(0, 4)}${sep}${subscriber.slice(4)}`;
          expect(landlineFromText(`Shop uy tín. ${label}${written}\nCảm ơn!`)).toBe(written);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('Shopee: a shop detail with empty location fields routes by the address and landline in its description', () => {
    const adapter = createShopeeAdapter();
    const url = `${base}/shop/700100455`;
    const body = fixture('shopee/shop-detail-description.json');
    const result = expectOk(
      adapter.parse(
        page(fixture('shopee/app-shell.html'), url, {
          captured: [
            { url: `${base}/api/v4/shop/get_shop_detail?shopid=700100455`, status: 200, body },
            {
              url: `${base}/api/v4/shop/search_items?shopid=700100455&offset=0&limit=30`,
              status: 200,
              body: fixture('shopee/search-empty.json'),
            },
          ],
        }),
        request(url, 'shop'),
      ),
    );
    const shop = result.shops[0]!;
    expect(shop).toMatchObject({
      rawAddress: '45/2 Nguyễn Thị Minh Khai, P. Đa Kao, Q.1, TP.HCM',
      phone: '(028) 3910 2233',
      declaredLocation: null,
      taxCode: '0312345675',
    });
    const routed = routeProvince(
      { marketplace: 'shopee', declaredLocation: shop.declaredLocation ?? null, phone: shop.phone ?? null },
      resolveAddress(shop.rawAddress ?? null),
    );
    expect(routed).toMatchObject({ code: 79, source: 'address' });
    // Without the address, the landline from the same text still places it.
    expect(routeProvince({ marketplace: 'shopee', declaredLocation: null, phone: shop.phone ?? null }, resolveAddress(null))).toMatchObject(
      { code: 79, source: 'phone' },
    );
  });

  it('Shopee: fields the marketplace fills win over the description', () => {
    const adapter = createShopeeAdapter();
    const url = `${base}/shop/700100388`;
    const result = expectOk(
      adapter.parse(
        page(fixture('shopee/app-shell.html'), url, {
          captured: [
            { url: `${base}/api/v4/shop/get_shop_detail?shopid=700100388`, status: 200, body: fixture('shopee/shop-detail.json') },
            {
              url: `${base}/api/v4/shop/search_items?shopid=700100388&offset=0&limit=30`,
              status: 200,
              body: fixture('shopee/search-empty.json'),
            },
          ],
        }),
        request(url, 'shop'),
      ),
    );
    expect(result.shops[0]).toMatchObject({ rawAddress: 'Quảng Châu, Trung Quốc', phone: null });
  });
});
