/**
 * resolveAddress: free-text shop address → 2025 province and ward, a quality class and the issues an
 * investigator reads. Pure and synchronous; the dataset loads once on first use.
 */
import { adminIndex, type UnitEntry } from './dataset.ts';
import { resolveLocationLabel } from './location-label.ts';
import { deglue, expandInitialedProvince, repairUnitTypos } from './noise.ts';
import { findPhrases, isOnlyVietnam } from './patterns.ts';
import { scanAddress } from './scan.ts';
import { tokenize } from './tokenize.ts';
import type { AddressQuality, AddressResolution, ResolveOptions } from './types.ts';

function result(quality: AddressQuality, issues: string[], partial: Partial<AddressResolution> = {}): AddressResolution {
  return { province: null, province_code: null, ward: null, ward_code: null, old_province: null, quality, issues, ...partial };
}

export function resolveAddress(text: string | null | undefined, options: ResolveOptions = {}): AddressResolution {
  const resolution = resolveTextCached(typeof text === 'string' ? text : '');
  compareDeclared(resolution, options.declaredLocation);
  return resolution;
}

const MAX_CACHED_ADDRESSES = 50_000;
const addressCache = new Map<string, AddressResolution>();

/** Forgets every resolved address text (see clearAddressCaches). */
export function clearAddressTextCache(): void {
  addressCache.clear();
}

/**
 * Shops of one seller, branches and networks share address texts: resolve each distinct text once.
 * Returns a fresh copy (with its own issues array), because callers add the declared-location issue.
 */
function resolveTextCached(text: string): AddressResolution {
  let cached = addressCache.get(text);
  if (cached === undefined) {
    cached = resolveText(text);
    if (addressCache.size >= MAX_CACHED_ADDRESSES) addressCache.clear();
    addressCache.set(text, cached);
  }
  return { ...cached, issues: [...cached.issues] };
}

function resolveText(raw: string): AddressResolution {
  const expansion = expandInitialedProvince(repairUnitTypos(deglue(raw)));
  const resolution = resolveRepaired(expansion.text);
  if (expansion.ambiguous.length > 1) {
    const index = adminIndex();
    const names = expansion.ambiguous.map((code) => index.provinces.get(code)!);
    // The ward may settle it; otherwise a wrong province is worse than none.
    if (resolution.province_code === null || !expansion.ambiguous.includes(resolution.province_code)) {
      resolution.province = null;
      resolution.province_code = null;
      resolution.ward = null;
      resolution.ward_code = null;
    }
    if (resolution.province_code === null) {
      resolution.ambiguous = names.map((p) => ({ province: p.name, province_code: p.code }));
      resolution.issues.push(`ambiguous province: ${names.map((p) => p.label).join(' or ')}`);
    }
  }
  return resolution;
}

function resolveRepaired(text: string): AddressResolution {
  const { text: nfc, words } = tokenize(text);
  if (words.length === 0) return result('missing', ['no address given']);
  const ascii = words.map((w) => w.ascii);
  if (isOnlyVietnam(ascii)) return result('placeholder', [`'${nfc.trim()}' names only the country, not an address`]);

  const index = adminIndex();
  const scan = scanAddress(words, nfc);
  const { country, city: foreignCity, placeholder } = findPhrases(ascii);

  // Ward → 2025 ward (the ward-level conversion table is the authority, even across province lines).
  const issues: string[] = [];
  const firstTargets = new Set(scan.wards.map((w) => w.newWardCodes[0] ?? -1));
  const newWard = firstTargets.size === 1 ? index.wards.get([...firstTargets][0]!) : undefined;
  const wardProvinces = new Set(scan.wards.map((w) => w.provinceCode));
  let provinceCode: number | null = newWard?.provinceCode ?? (wardProvinces.size === 1 ? [...wardProvinces][0]! : null);
  provinceCode ??= scan.provinceCode;
  if (provinceCode === null && scan.districts.length > 0 && new Set(scan.districts.map((d) => d.provinceCode)).size === 1) {
    provinceCode = scan.districts[0]!.provinceCode;
  }
  const province = provinceCode === null ? undefined : index.provinces.get(provinceCode);
  const oldProvince = oldProvinceOf(scan.writtenOldProvince, scan.wards, scan.districts);

  const partial: Partial<AddressResolution> = {
    province: province?.name ?? null,
    province_code: province?.code ?? null,
    ward: newWard?.name ?? null,
    ward_code: newWard?.code ?? null,
    old_province: oldProvince === null ? null : (index.oldProvinces.get(oldProvince)?.name ?? null),
  };

  // Without a written Vietnamese province, a foreign place or a placeholder phrase decides: a ward name
  // found alone ("Kho Quảng Châu" → Xã Quảng Châu) is weaker evidence than the phrase around it.
  const provinceWritten = scan.provinceCode !== null || scan.districts.length > 0;
  if (country !== null && (!provinceWritten || scan.wards.length === 0)) {
    return result('overseas', [`address is outside Vietnam ('${country}')`]);
  }
  if (!provinceWritten && placeholder !== null) return result('placeholder', [`'${placeholder}' is a placeholder, not an address`]);
  if (!provinceWritten && foreignCity !== null) return result('overseas', [`address is outside Vietnam ('${foreignCity}')`]);
  if (province === undefined && scan.wards.length === 0) {
    return result('placeholder', ['no Vietnamese province or ward could be recognised'], partial);
  }

  const where = province?.label ?? 'the province written';
  for (const unit of scan.unresolved) {
    const elsewhere = nationwideProvinceOf(unit.text);
    const hint = elsewhere && elsewhere !== province?.label ? ` (there is one in ${elsewhere})` : '';
    issues.push(`${unit.type} '${unit.text}' does not exist in ${where}${hint}`);
  }
  if (scan.wards.length > 0 && newWard === undefined) {
    issues.push(`ward '${scan.wardText}' exists in several places of ${where}; add the district or street to locate it`);
  }
  if (scan.wardOutsideDistrict) issues.push(`ward '${scan.wardText}' is not in district '${scan.districtText}'`);
  if (scan.provinceCode === null && province) issues.push(`province not written; inferred ${province.label} from the ward or district`);
  if (
    newWard &&
    scan.provinceCode !== null &&
    scan.writtenOldProvince === null &&
    newWard.provinceCode !== scan.provinceCode &&
    index.provinces.get(scan.provinceCode)
  ) {
    issues.push(`ward '${scan.wardText}' now belongs to ${province?.label}, not ${index.provinces.get(scan.provinceCode)!.label}`);
  }

  if (scan.unresolved.length > 0 && scan.wards.length === 0) return result('inconsistent', issues, partial);
  if (placeholder !== null) {
    issues.push(`'${placeholder}' is a placeholder, not an address`);
    return result(scan.wards.length > 0 ? 'ward_province' : 'placeholder', issues, partial);
  }
  if (scan.wards.length === 0) {
    issues.push('no ward or commune given');
    return result('province_only', issues, partial);
  }
  if (!scan.hasStreet) {
    issues.push('no street, house number or hamlet given');
    return result('ward_province', issues, partial);
  }
  return result('complete', issues, partial);
}

function oldProvinceOf(written: number | null, wards: readonly UnitEntry[], districts: readonly UnitEntry[]): number | null {
  if (written !== null) return written;
  const oldUnits = wards.some((w) => w.kind === 'old_ward') ? wards : districts;
  const codes = new Set(oldUnits.map((u) => u.oldProvinceCode).filter((c): c is number => c !== null));
  return codes.size === 1 ? [...codes][0]! : null;
}

/** Where a tagged name that does not exist in the written province does exist, for the issue text. */
function nationwideProvinceOf(written: string): string | null {
  const index = adminIndex();
  const words = tokenize(written).words.map((w) => w.ascii);
  for (let skip = 1; skip <= 2 && skip < words.length; skip++) {
    const entries = index.byName.get(words.slice(skip).join(' '));
    const provinces = new Set((entries ?? []).filter((e) => e.kind !== 'province' && e.kind !== 'old_province').map((e) => e.provinceCode));
    if (provinces.size === 1) return index.provinces.get([...provinces][0]!)?.label ?? null;
  }
  return null;
}

function compareDeclared(resolution: AddressResolution, declared: string | null | undefined): void {
  if (typeof declared !== 'string' || declared.trim() === '') return;
  const label = resolveLocationLabel(declared);
  const index = adminIndex();
  const addressLabel = resolution.province_code === null ? null : (index.provinces.get(resolution.province_code)?.label ?? null);
  if (label.overseas && resolution.quality !== 'overseas' && addressLabel !== null) {
    resolution.issues.push(`declared location '${declared.trim()}' is overseas but the address is in ${addressLabel}`);
  } else if (!label.overseas && label.province_code !== null && resolution.quality === 'overseas') {
    resolution.issues.push(`declared location '${declared.trim()}' is in Vietnam but the address is overseas`);
  } else if (label.province_code !== null && resolution.province_code !== null && label.province_code !== resolution.province_code) {
    resolution.issues.push(`declared location '${declared.trim()}' differs from address province '${addressLabel}'`);
  }
}
