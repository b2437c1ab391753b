/**
 * Reference for scoring/address/scan.ts: the scan as it was written with nested closures (seven created
 * per address), kept verbatim so a property test can check the closure-free version against it.
 *
 * Right-to-left scan of a tokenized address: province first, then (old-scheme) district, then ward;
 * whatever is left of the ward is the street, house number or hamlet. Each step only accepts units
 * that lie inside what was already found, so a street named like a ward elsewhere does not match.
 */
import { adminIndex, type UnitEntry } from '../../../scoring/address/dataset.ts';
import { isStreetWord, markerBefore, markerEndingAt, type Marker, type MarkerType } from '../../../scoring/address/markers.ts';
import { isVietnamWord } from '../../../scoring/address/patterns.ts';
import type { Word } from '../../../scoring/address/tokenize.ts';

const MAX_NAME_WORDS = 6;

interface ScanResult {
  /** 2025 province code written (or implied by the old province written). */
  provinceCode: number | null;
  /** Old province code, when the province name written exists only in the pre-2025 scheme. */
  writtenOldProvince: number | null;
  provinceText: string | null;
  districts: UnitEntry[];
  districtText: string | null;
  /** Ward candidates in the best tier; one new ward code when unambiguous. */
  wards: UnitEntry[];
  wardText: string | null;
  /** The ward was found outside the district written next to it. */
  wardOutsideDistrict: boolean;
  unresolved: { type: MarkerType; text: string }[];
  hasStreet: boolean;
  matchedAnything: boolean;
}

const WARD_UNITS: Record<string, string> = { p: 'phuong', f: 'phuong', ph: 'phuong', phuong: 'phuong', x: 'xa', xa: 'xa', tt: 'thi tran' };

export function scanAddressReference(words: readonly Word[], text: string): ScanResult {
  const index = adminIndex();
  const result: ScanResult = {
    provinceCode: null,
    writtenOldProvince: null,
    provinceText: null,
    districts: [],
    districtText: null,
    wards: [],
    wardText: null,
    wardOutsideDistrict: false,
    unresolved: [],
    hasStreet: false,
    matchedAnything: false,
  };
  let districtUntagged = false;
  let districtKey = '';
  let oldScopes: Set<number> | null = null;
  const quote = (from: number, to: number): string => text.slice(words[from]!.start, words[to - 1]!.end);

  let pos = words.length;
  let skippedChunks = 0;
  while (pos > 0) {
    const last = words[pos - 1]!;
    if (!result.matchedAnything && (isVietnamWord(last.ascii) || /^\d{5,}$/.test(last.ascii))) {
      pos--;
      continue;
    }
    if (!result.matchedAnything && last.ascii === 'nam' && words[pos - 2]?.ascii === 'viet') {
      pos -= 2;
      continue;
    }
    let chunkStart = pos - 1;
    while (chunkStart > 0 && words[chunkStart - 1]!.chunk === last.chunk) chunkStart--;

    const match = findMatch(pos, chunkStart);
    if (match) {
      result.matchedAnything = true;
      pos = match.start - (match.marker?.length ?? 0);
      if (result.wards.length > 0) {
        result.hasStreet = hasStreetWords(words, pos);
        break;
      }
      continue;
    }
    const tagged = findTaggedSpan(pos, chunkStart);
    if (tagged && result.wards.length === 0) {
      result.unresolved.push({ type: tagged.marker.type, text: quote(tagged.markerStart, pos) });
      result.matchedAnything = true;
      pos = tagged.markerStart;
      continue;
    }
    if (!result.matchedAnything && skippedChunks < 2 && chunkStart > 0) {
      skippedChunks++;
      pos = chunkStart;
      continue;
    }
    result.hasStreet = result.matchedAnything && hasStreetWords(words, pos);
    break;
  }

  // "Thanh Xuân, Hà Nội": an untagged old district that is also a 2025 ward reads as the 2025 ward.
  if (result.wards.length === 0 && districtUntagged && result.districts.length > 0 && result.provinceCode !== null) {
    const asWard = (index.byName.get(districtKey) ?? []).filter((e) => e.kind === 'ward' && e.provinceCode === result.provinceCode);
    if (asWard.length > 0) {
      result.wards = asWard;
      result.wardText = result.districtText;
      result.districts = [];
      result.districtText = null;
    }
  }
  return result;

  function findMatch(end: number, chunkStart: number): { start: number; marker: Marker | null } | null {
    // Keys of the spans ending at `end`, shortest first, built by prepending one word at a time.
    const longest = Math.min(MAX_NAME_WORDS, end - chunkStart);
    const keys: string[] = [];
    for (let length = 1; length <= longest; length++) {
      const word = words[end - length]!.ascii;
      keys.push(length === 1 ? word : `${word} ${keys[length - 2]!}`);
    }
    for (let length = longest; length >= 1; length--) {
      const start = end - length;
      const key = keys[length - 1]!;
      const entries = index.byName.get(key);
      if (!entries) continue;
      // "Thành phố Huế" is not the ward "Phố Huế": a name never starts inside a two-word unit marker.
      if ((markerEndingAt(words, start)?.length ?? 0) === 2) continue;
      const marker = markerBefore(words, start);
      if (!marker) {
        if (/^\d/.test(key) || key.length < 2) continue;
        if (markerEndingAt(words, end - 1) !== null && length === 1) continue;
      }
      const streetBefore = !marker && start > chunkStart && isStreetContext(start);
      if (tryAccept(entries, marker, quote(start, end), key, streetBefore)) return { start, marker };
    }
    return null;
  }

  /** "12 Lê Lợi", "đường Trần Phú", "ấp Tân Hòa": a name right after a house number or street word is a street or hamlet. */
  function isStreetContext(start: number): boolean {
    const before = words[start - 1];
    if (!isStreetWord(before)) return false;
    if (before!.ascii === 'pho' && words[start - 2]?.ascii === 'thanh') return false;
    if (/\d/.test(before!.ascii) && start >= 2 && markerEndingAt(words, start - 2) !== null) return false;
    return true;
  }

  function tryAccept(entries: UnitEntry[], marker: Marker | null, written: string, key: string, streetBefore: boolean): boolean {
    const type = marker?.type ?? null;
    const noneFound = result.provinceCode === null && result.districts.length === 0;
    // Province.
    if (noneFound && (type === null || type === 'city' || type === 'province')) {
      const newProvince = entries.find((e) => e.kind === 'province');
      const oldProvince = entries.filter((e) => e.kind === 'old_province');
      if (newProvince) {
        result.provinceCode = newProvince.code;
        result.provinceText = written;
        oldScopes = new Set(index.oldProvincesOf.get(newProvince.code) ?? []);
        for (const e of oldProvince) oldScopes.add(e.code);
        return true;
      }
      if (oldProvince.length > 0) {
        const first = oldProvince[0]!;
        result.provinceCode = first.provinceCode;
        result.writtenOldProvince = first.code;
        result.provinceText = written;
        oldScopes = new Set([first.code]);
        return true;
      }
    }
    if (streetBefore) return false;
    // Old district.
    if (result.districts.length === 0 && (type === null || type === 'district' || type === 'city')) {
      let candidates = entries.filter((e) => e.kind === 'old_district' && (type !== 'city' || e.unit === 'thanh pho'));
      if (oldScopes) candidates = candidates.filter((e) => oldScopes!.has(e.oldProvinceCode ?? -1));
      if (candidates.length > 0 && (result.provinceCode !== null || type !== null || sameProvince(candidates))) {
        result.districts = candidates;
        result.districtText = written;
        districtUntagged = type === null;
        districtKey = key;
        return true;
      }
    }
    // Ward.
    if (type === null || type === 'ward') {
      const chosen = chooseWard(entries, marker);
      if (chosen.length > 0) {
        if (result.provinceCode === null && type === null && !sameProvince(chosen)) return false;
        result.wards = chosen;
        result.wardText = written;
        return true;
      }
    }
    return false;
  }

  function chooseWard(entries: UnitEntry[], marker: Marker | null): UnitEntry[] {
    const wanted = marker ? WARD_UNITS[marker.unit] : undefined;
    const prefer = (list: UnitEntry[]): UnitEntry[] => {
      if (!wanted) return list;
      const same = list.filter((e) => e.unit === wanted);
      return same.length > 0 ? same : list;
    };
    const newWards = entries.filter(
      (e) =>
        e.kind === 'ward' &&
        (result.provinceCode !== null
          ? e.provinceCode === result.provinceCode
          : result.districts.length === 0 || result.districts.some((d) => d.provinceCode === e.provinceCode)),
    );
    const oldWards = entries.filter((e) => e.kind === 'old_ward' && (oldScopes === null || oldScopes.has(e.oldProvinceCode ?? -1)));
    if (result.districts.length > 0) {
      const inDistrict = oldWards.filter((e) => result.districts.some((d) => d.code === e.districtCode));
      if (inDistrict.length > 0) {
        const narrowed = prefer(inDistrict);
        result.districts = result.districts.filter((d) => narrowed.some((w) => w.districtCode === d.code));
        return narrowed;
      }
      if (newWards.length > 0) return prefer(newWards);
      if (oldWards.length > 0 && result.provinceCode !== null) {
        result.wardOutsideDistrict = true;
        return prefer(oldWards);
      }
      return [];
    }
    if (newWards.length > 0) return prefer(newWards);
    return prefer(oldWards);
  }

  function findTaggedSpan(end: number, chunkStart: number): { marker: Marker; markerStart: number } | null {
    for (let last = end - 2; last >= Math.max(chunkStart, end - 1 - MAX_NAME_WORDS); last--) {
      const marker = markerEndingAt(words, last);
      if (!marker) continue;
      const markerStart = last - marker.length + 1;
      if (markerStart < chunkStart) continue;
      if (marker.type === 'ward' || marker.type === 'district') return { marker, markerStart };
      return null;
    }
    return null;
  }
}

function sameProvince(entries: readonly UnitEntry[]): boolean {
  return entries.every((e) => e.provinceCode === entries[0]!.provinceCode);
}

function hasStreetWords(words: readonly Word[], end: number): boolean {
  return words.slice(0, end).some((w) => /[a-z0-9]/.test(w.ascii));
}
