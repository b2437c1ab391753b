import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADDRESS_QUALITIES, createCachedResolver, resolveAddress, resolveLocationLabel } from '../../../scoring/address/index.ts';
import { main } from '../../../src/apps/cli/main.ts';

describe('resolveAddress: common forms', () => {
  it.each([
    ['123 Nguyễn Trãi, P.12, Q.5, TP.HCM', 79, 'Thành phố Hồ Chí Minh'],
    ['123 Nguyen Trai P12 Q5 TPHCM', 79, 'Thành phố Hồ Chí Minh'],
    ['12 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh', 79, null],
    ['so 5 ngo 10, phuong khuong trung, quan thanh xuan, HN', 1, 'Thành phố Hà Nội'],
    ['Ấp 3, Xã Vĩnh Trạch, Bạc Liêu', 96, 'Tỉnh Bạc Liêu'],
    ['12 TRẦN PHÚ, F.7, TP. VŨNG TÀU, BÀ RỊA - VŨNG TÀU', 79, 'Tỉnh Bà Rịa - Vũng Tàu'],
    ['Số 17 Đường Trần Phú, Phường Hương An, Thành phố Huế', 46, null],
  ])('%s → province %i (old province %s)', (text, provinceCode, oldProvince) => {
    const r = resolveAddress(text);
    expect(r.province_code).toBe(provinceCode);
    expect(r.old_province).toBe(oldProvince);
    expect(r.quality).toBe('complete');
    expect(r.ward_code).not.toBeNull();
  });

  it('treats NFD, upper case and extra punctuation like the plain NFC text', () => {
    const plain = resolveAddress('12 Lê Lợi, Phường Bến Thành, TP Hồ Chí Minh');
    for (const variant of [
      '12 Lê Lợi, Phường Bến Thành, TP Hồ Chí Minh'.normalize('NFD'),
      '12 LÊ LỢI ,, PHƯỜNG BẾN THÀNH ;  TP HỒ CHÍ MINH !!',
      '12 le loi, phuong ben thanh, tp ho chi minh',
    ]) {
      const r = resolveAddress(variant);
      expect([r.province_code, r.ward_code, r.quality]).toEqual([plain.province_code, plain.ward_code, plain.quality]);
    }
  });

  it('classifies partial addresses', () => {
    expect(resolveAddress('Hà Nội').quality).toBe('province_only');
    expect(resolveAddress('Phường Bến Thành, TP.HCM').quality).toBe('ward_province');
    expect(resolveAddress(null).quality).toBe('missing');
    expect(resolveAddress('   ').quality).toBe('missing');
  });
});

describe('placeholders, overseas and inconsistent addresses', () => {
  const placeholders = [
    'Toàn quốc',
    'Việt Nam',
    'VN',
    'Hàng order',
    'Kho Quảng Châu',
    'Liên hệ',
    'Inbox',
    'Zalo 0909 123 456',
    'Ship COD toàn quốc',
  ];

  it.each(placeholders)('%s is a placeholder', (text) => {
    expect(resolveAddress(text).quality).toBe('placeholder');
  });

  it('never calls an address with placeholder text complete, whatever it is combined with', () => {
    const places = ['', 'Hà Nội', '12 Lê Lợi, Phường Bến Thành, TP.HCM', 'Phường 12, Quận 5'];
    fc.assert(
      // "Việt Nam" after a real address is just the country line, so it is left out here.
      fc.property(
        fc.constantFrom(...placeholders.filter((p) => p !== 'Việt Nam' && p !== 'VN')),
        fc.constantFrom(...places),
        fc.boolean(),
        (placeholder, place, before) => {
          const text = before ? `${placeholder} ${place}` : `${place} ${placeholder}`;
          expect(resolveAddress(text).quality).not.toBe('complete');
        },
      ),
    );
  });

  it.each(['Nước ngoài', 'Quốc tế', 'Quảng Châu, Trung Quốc', 'Guangzhou', 'Shenzhen, China'])('%s is overseas', (text) => {
    expect(resolveAddress(text).quality).toBe('overseas');
  });

  it('flags a ward that does not exist in the province, in either scheme', () => {
    const r = resolveAddress('Phường 99, Hà Nội');
    expect(r.quality).toBe('inconsistent');
    expect(r.issues.join(' ')).toContain("'Phường 99' does not exist");
    const elsewhere = resolveAddress('12 Lê Lợi, Phường Bến Thành, Hà Nội');
    expect(elsewhere.quality).toBe('inconsistent');
    expect(elsewhere.issues.join(' ')).toContain('Hồ Chí Minh');
  });

  it('does not mistake a commune named like a foreign city for overseas when a province is written', () => {
    expect(resolveAddress('Xã Quảng Châu, Nghệ An').quality).not.toBe('overseas');
  });
});

describe('declared location', () => {
  it('adds an issue when the declared province differs', () => {
    const r = resolveAddress('12 Lê Lợi, Phường Bến Thành, TP.HCM', { declaredLocation: 'Hà Nội' });
    expect(r.issues).toContain("declared location 'Hà Nội' differs from address province 'TP. Hồ Chí Minh'");
  });

  it('agrees when an old-scheme label merged into the same 2025 province', () => {
    const r = resolveAddress('Ấp 3, Xã Vĩnh Trạch, Bạc Liêu', { declaredLocation: 'Cà Mau' });
    expect(r.issues.some((i) => i.startsWith('declared location'))).toBe(false);
    const binhDuong = resolveAddress('Phường Thủ Dầu Một, TP.HCM', { declaredLocation: 'Bình Dương' });
    expect(binhDuong.issues.some((i) => i.startsWith('declared location'))).toBe(false);
  });

  it('flags an overseas label on a Vietnamese address', () => {
    const r = resolveAddress('Phường Bến Thành, TP.HCM', { declaredLocation: 'Nước ngoài' });
    expect(r.issues.some((i) => i.includes('overseas'))).toBe(true);
  });
});

describe('resolveLocationLabel', () => {
  it.each([
    ['TP. Hồ Chí Minh', 79],
    ['TP.HCM', 79],
    ['Hà Nội', 1],
    ['Bạc Liêu', 96],
    ['Hà Nam', 37],
    ['Thừa Thiên Huế', 46],
  ])('%s → %i', (label, code) => {
    expect(resolveLocationLabel(label)).toMatchObject({ province_code: code, overseas: false });
  });

  it('recognises overseas and unknown labels', () => {
    expect(resolveLocationLabel('Nước ngoài').overseas).toBe(true);
    expect(resolveLocationLabel('Atlantis')).toEqual({ province: null, province_code: null, overseas: false });
    expect(resolveLocationLabel(null).province).toBeNull();
  });
});

describe('robustness', () => {
  it('never throws on arbitrary input and always yields a valid quality', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('P.', 'Q', 'Tp', '-', ',,,', 'Phường', 'thanh pho')),
        fc.option(fc.string()),
        (text, declared) => {
          const r = resolveAddress(text, { declaredLocation: declared });
          expect(ADDRESS_QUALITIES).toContain(r.quality);
          expect(Array.isArray(r.issues)).toBe(true);
          if (r.ward_code !== null) expect(r.province_code).not.toBeNull();
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on address-like word salad', () => {
    const words = [
      'Phường',
      'P.',
      'Xã',
      'Quận',
      'Q.',
      'Huyện',
      'TP',
      'Tỉnh',
      'Hà',
      'Nội',
      'HCM',
      '12',
      'Bến',
      'Thành',
      'Châu',
      ',',
      '-',
      'Việt Nam',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 20 }), (parts) => {
        expect(ADDRESS_QUALITIES).toContain(resolveAddress(parts.join(' ')).quality);
      }),
      { numRuns: 500 },
    );
  });
});

describe('createCachedResolver', () => {
  it('returns the same answer as resolveAddress, from the cache on repeats', () => {
    const resolve = createCachedResolver({ maxEntries: 2 });
    const first = resolve('Phường Bến Thành, TP.HCM', { declaredLocation: 'Hà Nội' });
    expect(first).toEqual(resolveAddress('Phường Bến Thành, TP.HCM', { declaredLocation: 'Hà Nội' }));
    expect(resolve('Phường Bến Thành, TP.HCM', { declaredLocation: 'Hà Nội' })).toBe(first);
    expect(resolve('Phường Bến Thành, TP.HCM')).not.toBe(first);
  });
});

describe('radar check-address', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints exactly the contract fields as JSON', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const code = await main(['node', 'radar', 'check-address', '123 Nguyễn Trãi, P.12, Q.5, TP.HCM', '--declared-location', 'Hà Nội']);
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('')) as Record<string, unknown>;
    expect(Object.keys(printed)).toEqual(['province', 'province_code', 'ward', 'ward_code', 'old_province', 'quality', 'issues']);
    expect(printed.province).toBe('Thành phố Hồ Chí Minh');
    expect(printed.issues).toContain("declared location 'Hà Nội' differs from address province 'TP. Hồ Chí Minh'");
  });
});

describe('unit markers', () => {
  it('reads no marker into words that are names of Object.prototype members', async () => {
    const { tokenize } = await import('../../../scoring/address/tokenize.ts');
    const { markerEndingAt } = await import('../../../scoring/address/markers.ts');
    for (const word of ['constructor', 'valueof', 'tostring']) {
      const { words } = tokenize(`12 ${word}, Hà Nội`);
      expect(markerEndingAt(words, 1)).toBeNull();
    }
    expect(markerEndingAt(tokenize('Phường Bến Thành').words, 0)).toMatchObject({ type: 'ward', length: 1 });
    expect(markerEndingAt(tokenize('Thành phố Huế').words, 1)).toMatchObject({ type: 'city', length: 2 });
  });
});
