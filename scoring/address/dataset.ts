/**
 * Lazily loaded lookup maps over scoring/data/vn-admin.json. Loaded once per process on first use;
 * every lookup afterwards is a Map access on an ASCII name key.
 */
import { readFileSync } from 'node:fs';
import { adminDatasetSchema } from './dataset-schema.ts';
import { nameKey, splitOfficialName, stripDiacritics } from './normalize.ts';

export type UnitKind = 'province' | 'old_province' | 'old_district' | 'ward' | 'old_ward';

/** One administrative unit a name key can refer to. */
export interface UnitEntry {
  kind: UnitKind;
  code: number;
  /** Official name, e.g. "Phường 12", "Quận Bình Thạnh". */
  name: string;
  /** ASCII unit word of the official name: "phuong", "xa", "thi tran", "dac khu", "quan", "huyen", "thi xa", "thanh pho", "tinh". */
  unit: string;
  /** 2025 province code this unit lies in (for old wards: the province of their first 2025 ward). */
  provinceCode: number;
  /** Pre-2025 province code (old units only). */
  oldProvinceCode: number | null;
  /** Pre-2025 district code (old wards and districts). */
  districtCode: number | null;
  /** 2025 ward codes an old ward became (whole merges first); the ward's own code for 2025 wards. */
  newWardCodes: number[];
}

export interface Province {
  code: number;
  name: string;
  /** Short label for messages: "TP. Hồ Chí Minh", "Bắc Ninh". */
  label: string;
}

export interface AdminIndex {
  provinces: Map<number, Province>;
  oldProvinces: Map<number, { code: number; name: string; newCode: number }>;
  wards: Map<number, { code: number; name: string; provinceCode: number }>;
  /** Old province codes that merged (wholly or mostly) into each 2025 province. */
  oldProvincesOf: Map<number, number[]>;
  /** Name key (see nameKey, without the unit word) → units with that name, any level, either scheme. */
  byName: Map<string, UnitEntry[]>;
}

/** Colloquial and abbreviated province names seen on marketplaces; values are official names. */
const PROVINCE_ALIASES: Record<string, string> = {
  hn: 'Thành phố Hà Nội',
  hanoi: 'Thành phố Hà Nội',
  hcm: 'Thành phố Hồ Chí Minh',
  tphcm: 'Thành phố Hồ Chí Minh',
  hcmc: 'Thành phố Hồ Chí Minh',
  'tp hcm': 'Thành phố Hồ Chí Minh',
  'sai gon': 'Thành phố Hồ Chí Minh',
  saigon: 'Thành phố Hồ Chí Minh',
  sg: 'Thành phố Hồ Chí Minh',
  'ho chi minh city': 'Thành phố Hồ Chí Minh',
  'thua thien hue': 'Thành phố Huế',
  'tt hue': 'Thành phố Huế',
  danang: 'Thành phố Đà Nẵng',
  'ba ria vung tau': 'Tỉnh Bà Rịa - Vũng Tàu',
  brvt: 'Tỉnh Bà Rịa - Vũng Tàu',
  'br vt': 'Tỉnh Bà Rịa - Vũng Tàu',
  'vung tau': 'Tỉnh Bà Rịa - Vũng Tàu',
  daklak: 'Tỉnh Đắk Lắk',
  'dac lac': 'Tỉnh Đắk Lắk',
  'dak lac': 'Tỉnh Đắk Lắk',
  daknong: 'Tỉnh Đắk Nông',
  'dac nong': 'Tỉnh Đắk Nông',
  haiphong: 'Thành phố Hải Phòng',
  cantho: 'Thành phố Cần Thơ',
};

const DATA_URL = new URL('../data/vn-admin.json', import.meta.url);

let index: AdminIndex | undefined;

/** The lookup maps; the first call reads and validates the dataset (a few tens of milliseconds). */
export function adminIndex(): AdminIndex {
  index ??= buildIndex(JSON.parse(readFileSync(DATA_URL, 'utf8')));
  return index;
}

function provinceLabel(name: string): string {
  const { unit, bare } = splitOfficialName(name);
  return unit === 'thành phố' ? `TP. ${bare}` : bare;
}

export function buildIndex(raw: unknown): AdminIndex {
  const data = adminDatasetSchema.parse(raw);
  const byName = new Map<string, UnitEntry[]>();
  const add = (key: string, entry: UnitEntry): void => {
    if (key === '') return;
    const list = byName.get(key);
    if (list) list.push(entry);
    else byName.set(key, [entry]);
  };
  const unitOf = (name: string): { unit: string; key: string } => {
    const { unit, bare } = splitOfficialName(name);
    return { unit: stripDiacritics(unit), key: nameKey(bare) };
  };

  const provinces = new Map<number, Province>();
  for (const [code, name] of data.provinces) {
    provinces.set(code, { code, name, label: provinceLabel(name) });
    const { unit, key } = unitOf(name);
    add(key, { kind: 'province', code, name, unit, provinceCode: code, oldProvinceCode: null, districtCode: null, newWardCodes: [] });
  }
  const wards = new Map<number, { code: number; name: string; provinceCode: number }>();
  for (const [code, provinceCode, name] of data.wards) {
    wards.set(code, { code, name, provinceCode });
    const { unit, key } = unitOf(name);
    add(key, { kind: 'ward', code, name, unit, provinceCode, oldProvinceCode: null, districtCode: null, newWardCodes: [code] });
  }
  const oldProvinces = new Map<number, { code: number; name: string; newCode: number }>();
  const oldProvincesOf = new Map<number, number[]>();
  for (const [code, name, newCode] of data.oldProvinces) {
    oldProvinces.set(code, { code, name, newCode });
    oldProvincesOf.set(newCode, [...(oldProvincesOf.get(newCode) ?? []), code]);
    const { unit, key } = unitOf(name);
    add(key, {
      kind: 'old_province',
      code,
      name,
      unit,
      provinceCode: newCode,
      oldProvinceCode: code,
      districtCode: null,
      newWardCodes: [],
    });
  }
  const districtProvince = new Map<number, number>();
  for (const [code, oldProvinceCode, name] of data.oldDistricts) {
    districtProvince.set(code, oldProvinceCode);
    const { unit, key } = unitOf(name);
    const provinceCode = oldProvinces.get(oldProvinceCode)?.newCode ?? 0;
    add(key, { kind: 'old_district', code, name, unit, provinceCode, oldProvinceCode, districtCode: code, newWardCodes: [] });
  }
  for (const [code, districtCode, name, newWardCodes] of data.oldWards) {
    const oldProvinceCode = districtProvince.get(districtCode) ?? null;
    const firstTarget = newWardCodes[0] === undefined ? undefined : wards.get(newWardCodes[0]);
    const provinceCode = firstTarget?.provinceCode ?? (oldProvinceCode === null ? 0 : (oldProvinces.get(oldProvinceCode)?.newCode ?? 0));
    const { unit, key } = unitOf(name);
    add(key, { kind: 'old_ward', code, name, unit, provinceCode, oldProvinceCode, districtCode, newWardCodes });
  }
  for (const [alias, official] of Object.entries(PROVINCE_ALIASES)) {
    const target = byName.get(unitOf(official).key)?.filter((e) => e.name === official) ?? [];
    for (const entry of target) add(alias, entry);
  }
  return { provinces, oldProvinces, wards, oldProvincesOf, byName };
}
