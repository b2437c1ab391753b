/**
 * Province routing: which provincial committee a shop's leads go to. The address decides; a shop that
 * wrote none that locates it is routed by what the marketplace declares for it, then by its landline's
 * area code, then by the warehouse city the marketplace shows. A shop none of these places goes to the
 * national committee, with the reason: a cross-border seller (`overseas`) or no location at all (`none`).
 */
import type { NationalReason, ProvinceSource, RoutingSource } from '../../src/core/domain/province-source.ts';
import { resolveLocationLabel } from './location-label.ts';
import type { AddressResolution } from './types.ts';

export {
  NATIONAL_REASONS,
  PROVINCE_SOURCES,
  ROUTING_SOURCES,
  type NationalReason,
  type ProvinceSource,
  type RoutingSource,
} from '../../src/core/domain/province-source.ts';

export interface RoutedProvince {
  /** 2025 province code, or null when nothing locates the shop. */
  code: number | null;
  /** Official 2025 province name. */
  name: string | null;
  /** What placed the shop in `code`; null when it has no province. */
  source: ProvinceSource | null;
  /** Why the shop has no province and goes to the national committee; null when it has one. */
  national: NationalReason | null;
}

/** The value stored in `province_source`: the province source, else the national reason. */
export function routingSource(routed: RoutedProvince): RoutingSource {
  return routed.source ?? routed.national ?? 'none';
}

/** What routing reads about a shop. */
export interface RoutableShop {
  marketplace: string;
  /** The marketplace's location label for the shop (on Sendo: its warehouse city). */
  declaredLocation: string | null;
  phone: string | null;
}

/** Marketplaces whose only location field is the warehouse city (see crawlers/adapters/sendo.ts). */
const WAREHOUSE_MARKETPLACES: ReadonlySet<string> = new Set(['sendo']);

/**
 * Landline area codes since 2017 (Decision 2036/QĐ-BTTTT), by pre-2025 province; each name resolves
 * to its 2025 province through the admin dataset. Mobile numbers carry no place.
 */
const AREA_CODES: Readonly<Record<string, string>> = {
  '24': 'Hà Nội',
  '28': 'Hồ Chí Minh',
  '203': 'Quảng Ninh',
  '204': 'Bắc Giang',
  '205': 'Lạng Sơn',
  '206': 'Cao Bằng',
  '207': 'Tuyên Quang',
  '208': 'Thái Nguyên',
  '209': 'Bắc Kạn',
  '210': 'Phú Thọ',
  '211': 'Vĩnh Phúc',
  '212': 'Sơn La',
  '213': 'Lai Châu',
  '214': 'Lào Cai',
  '215': 'Điện Biên',
  '216': 'Yên Bái',
  '218': 'Hòa Bình',
  '219': 'Hà Giang',
  '220': 'Hải Dương',
  '221': 'Hưng Yên',
  '222': 'Bắc Ninh',
  '225': 'Hải Phòng',
  '226': 'Hà Nam',
  '227': 'Thái Bình',
  '228': 'Nam Định',
  '229': 'Ninh Bình',
  '232': 'Quảng Bình',
  '233': 'Quảng Trị',
  '234': 'Thừa Thiên Huế',
  '235': 'Quảng Nam',
  '236': 'Đà Nẵng',
  '237': 'Thanh Hóa',
  '238': 'Nghệ An',
  '239': 'Hà Tĩnh',
  '251': 'Đồng Nai',
  '252': 'Bình Thuận',
  '254': 'Bà Rịa - Vũng Tàu',
  '255': 'Quảng Ngãi',
  '256': 'Bình Định',
  '257': 'Phú Yên',
  '258': 'Khánh Hòa',
  '259': 'Ninh Thuận',
  '260': 'Kon Tum',
  '261': 'Đắk Nông',
  '262': 'Đắk Lắk',
  '263': 'Lâm Đồng',
  '269': 'Gia Lai',
  '270': 'Vĩnh Long',
  '271': 'Bình Phước',
  '272': 'Long An',
  '273': 'Tiền Giang',
  '274': 'Bình Dương',
  '275': 'Bến Tre',
  '276': 'Tây Ninh',
  '277': 'Đồng Tháp',
  '290': 'Cà Mau',
  '291': 'Bạc Liêu',
  '292': 'Cần Thơ',
  '293': 'Hậu Giang',
  '294': 'Trà Vinh',
  '296': 'An Giang',
  '297': 'Kiên Giang',
  '299': 'Sóc Trăng',
};

/** The pre-2025 province name each landline area code belongs to (tests check every one resolves). */
export function areaCodeTable(): Readonly<Record<string, string>> {
  return AREA_CODES;
}

/** A Vietnamese landline ("028 3822 1234", "+84 24 3825 1234") → its 2025 province; null for anything else. */
export function areaCodeProvince(phone: string | null | undefined): { code: number; name: string } | null {
  if (typeof phone !== 'string') return null;
  let digits = phone.replace(/[\s.\-()/]/g, '');
  if (!/^\+?\d+$/.test(digits)) return null;
  digits = digits.replace(/^\+/, '');
  if (digits.startsWith('0084')) digits = digits.slice(4);
  else if (digits.startsWith('84') && digits.length === 12) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = digits.slice(1);
  // A landline is 2 + 9 digits after the trunk 0: area code and subscriber number together.
  if (!/^2\d{9}$/.test(digits)) return null;
  for (const length of [2, 3]) {
    const name = AREA_CODES[digits.slice(0, length)];
    if (name === undefined) continue;
    const label = resolveLocationLabel(name);
    return label.province_code === null || label.province === null ? null : { code: label.province_code, name: label.province };
  }
  return null;
}

/**
 * Routes a shop: address, then the declared location, then a landline's area code, then the warehouse
 * city. Unplaced, it is `overseas` when its address resolved as abroad or the marketplace labels it so
 * ("Nước ngoài"), else `none`. `quality` is the address resolution's; without it only the label can say abroad.
 */
export function routeProvince(
  shop: RoutableShop,
  resolution: Pick<AddressResolution, 'province' | 'province_code'> & Partial<Pick<AddressResolution, 'quality'>>,
): RoutedProvince {
  if (resolution.province_code !== null && resolution.province !== null) {
    return { code: resolution.province_code, name: resolution.province, source: 'address', national: null };
  }
  const warehouse = WAREHOUSE_MARKETPLACES.has(shop.marketplace);
  const label = shop.declaredLocation ? resolveLocationLabel(shop.declaredLocation) : null;
  const located = label !== null && label.province_code !== null && label.province !== null;
  if (located && !warehouse) return { code: label.province_code, name: label.province, source: 'declared', national: null };
  const phone = areaCodeProvince(shop.phone);
  if (phone) return { code: phone.code, name: phone.name, source: 'phone', national: null };
  if (located) return { code: label.province_code, name: label.province, source: 'warehouse', national: null };
  const overseas = resolution.quality === 'overseas' || label?.overseas === true;
  return { code: null, name: null, source: null, national: overseas ? 'overseas' : 'none' };
}

/** Where a lead of an unknown shop (a listing crawled without its seller) goes: nationally, for want of a location. */
export const UNPLACED: RoutedProvince = Object.freeze({ code: null, name: null, source: null, national: 'none' });
