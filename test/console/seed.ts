import { deflateSync } from 'node:zlib';
import { writeEvidence } from '../../crawlers/runner/evidence.ts';
import type { Queryable } from '../../src/core/db/types.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import type { LeadCandidate } from '../../src/leads/types.ts';
import { reason, seedShopsAndListings, type SeedListing } from '../leads/seed.ts';

/** A small valid PNG (solid colour), so the screenshot is a real image the browser decodes. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const HANOI = { code: 1, name: 'Thành phố Hà Nội' };
export const HCM = { code: 79, name: 'Thành phố Hồ Chí Minh' };

export interface ConsoleSeed {
  /** Listing lead ids by province code. */
  leadsByProvince: Map<number, number[]>;
  /** The Hà Nội Nike lead with a screenshot. */
  evidenceLeadId: number;
  networkId: number;
  hcmLeadId: number;
  total: number;
}

/**
 * 30 Hà Nội listing leads (Nike and Dior), 8 in TP.HCM, one shop lead, a three-shop network linked by
 * phone across both provinces, and a screenshot for the best Hà Nội Nike lead.
 */
export async function seedConsole(db: Queryable, dataDir: string, now = new Date()): Promise<ConsoleSeed> {
  const shops = [
    {
      externalId: 'hn1',
      name: 'Giày Hà Nội 1',
      provinceCode: 1,
      provinceName: HANOI.name,
      wardName: 'Phường Hoàn Kiếm',
      addressQuality: 'complete',
      rawAddress: '12 Hàng Bạc, Hoàn Kiếm, Hà Nội',
    },
    {
      externalId: 'hn2',
      name: 'Mỹ phẩm HN',
      provinceCode: 1,
      provinceName: HANOI.name,
      addressQuality: 'province_only',
      rawAddress: 'Hà Nội',
    },
    {
      externalId: 'hcm1',
      name: 'Sneaker Sài Gòn',
      provinceCode: 79,
      provinceName: HCM.name,
      addressQuality: 'placeholder',
      rawAddress: 'kho hàng TP.HCM',
    },
  ];
  const listings: SeedListing[] = [];
  for (let i = 0; i < 30; i++) {
    const nike = i % 2 === 0;
    listings.push({
      externalId: `hn-${i}`,
      shopExternalId: i % 3 === 0 ? 'hn2' : 'hn1',
      brand: nike ? 'Nike' : 'Dior',
      title: nike ? `Giày Nike Air Force 1 rep 1:1 mẫu ${i}` : `Son Dior siêu cấp ${i}`,
      priceVnd: 250_000 + i * 1000,
    });
  }
  for (let i = 0; i < 8; i++)
    listings.push({
      externalId: `hcm-${i}`,
      shopExternalId: 'hcm1',
      brand: 'Nike',
      title: `Giày Nike Jordan hàng Quảng Châu ${i}`,
      priceVnd: 300_000,
    });
  const { listingIds, shopIds } = await seedShopsAndListings(db, shops, listings, now);

  const network = await db.query<{ id: number }>(
    `INSERT INTO networks (network_key, shop_count, marketplaces, link_kinds) VALUES ('phone:+84901234567', 3, '{tiki}', '{phone}') RETURNING id`,
  );
  const networkId = Number(network.rows[0]!.id);
  await db.query(`UPDATE shops SET network_id = $1, phone_e164 = '+84901234567' WHERE id = ANY($2::bigint[])`, [
    networkId,
    [...shopIds.values()],
  ]);

  const price = reason(
    'price.below_reference',
    40,
    'Price far below the brand reference',
    'Giá thấp hơn nhiều so với giá tham chiếu',
    '250.000 ₫ vs 2.900.000 ₫ (9%)',
  );
  const slang = reason('brand.slang', 30, 'Replica slang in the title', 'Tiêu đề dùng từ lóng hàng nhái', '"rep 1:1"');
  const candidates: LeadCandidate[] = [];
  for (const [ext, id] of listingIds) {
    const hn = ext.startsWith('hn-');
    const n = Number(ext.split('-')[1]);
    candidates.push({
      kind: 'listing',
      listingId: id,
      score: hn ? 95 - n : 90 - n,
      scoringVersion: n % 2 ? 'v1.0.0' : 'v1.1.0',
      reasons: [price, slang],
      provinceCode: hn ? HANOI.code : HCM.code,
      provinceName: hn ? HANOI.name : HCM.name,
    });
  }
  candidates.push({
    kind: 'shop',
    shopId: shopIds.get('hn1')!,
    score: 70,
    scoringVersion: 'v1.1.0',
    reasons: [slang],
    provinceCode: 1,
    provinceName: HANOI.name,
  });
  await upsertLeads(db, candidates, now);

  const { rows } = await db.query<{ id: number; province_code: number; listing_id: number | null }>(
    'SELECT id, province_code, listing_id FROM leads ORDER BY score DESC, id',
  );
  const leadsByProvince = new Map<number, number[]>();
  for (const r of rows)
    leadsByProvince.set(Number(r.province_code), [...(leadsByProvince.get(Number(r.province_code)) ?? []), Number(r.id)]);
  const best = rows.find((r) => Number(r.listing_id) === listingIds.get('hn-0'))!;
  await writeEvidence(
    {
      url: 'https://tiki.example/p/hn-0',
      listingId: listingIds.get('hn-0')!,
      capturedAt: now,
      files: [
        { kind: 'screenshot', name: 'page.png', content: solidPng(320, 200, [30, 90, 200]), contentType: 'image/png' },
        { kind: 'raw', name: 'page.html', content: '<html><body>Giày Nike Air Force 1 rep 1:1</body></html>', contentType: 'text/html' },
      ],
    },
    { db, config: { dataDir, chromiumPath: '/usr/bin/chromium', allowHosts: [] } },
  );
  const hcmLead = rows.find((r) => Number(r.province_code) === 79)!;
  return { leadsByProvince, evidenceLeadId: Number(best.id), networkId, hcmLeadId: Number(hcmLead.id), total: rows.length };
}
