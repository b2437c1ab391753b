/**
 * Right-to-left scan of a tokenized address: province first, then (old-scheme) district, then ward;
 * whatever is left of the ward is the street, house number or hamlet. Each step only accepts units
 * that lie inside what was already found, so a street named like a ward elsewhere does not match.
 */
import { adminIndex, type UnitEntry } from './dataset.ts';
import { isStreetWord, markerBefore, markerEndingAt, type Marker, type MarkerType } from './markers.ts';
import { isVietnamWord } from './patterns.ts';
import type { Word } from './tokenize.ts';

const MAX_NAME_WORDS = 6;

export interface ScanResult {
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

/**
 * One scan's state. The steps are methods rather than closures inside `scanAddress`: under tsx every
 * closure created costs an `Object.defineProperty` (esbuild's keepNames), and a scan made seven.
 */
class AddressScan {
  private readonly index = adminIndex();
  readonly result: ScanResult = {
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
  private districtUntagged = false;
  private districtKey = '';
  private oldScopes: Set<number> | null = null;

  constructor(
    private readonly words: readonly Word[],
    private readonly text: string,
  ) {}

  run(): ScanResult {
    const { words, result, index } = this;
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

      const match = this.findMatch(pos, chunkStart);
      if (match) {
        result.matchedAnything = true;
        pos = match.start - (match.marker?.length ?? 0);
        if (result.wards.length > 0) {
          result.hasStreet = hasStreetWords(words, pos);
          break;
        }
        continue;
      }
      const tagged = this.findTaggedSpan(pos, chunkStart);
      if (tagged && result.wards.length === 0) {
        result.unresolved.push({ type: tagged.marker.type, text: this.quote(tagged.markerStart, pos) });
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
    if (result.wards.length === 0 && this.districtUntagged && result.districts.length > 0 && result.provinceCode !== null) {
      const asWard = (index.byName.get(this.districtKey) ?? []).filter((e) => e.kind === 'ward' && e.provinceCode === result.provinceCode);
      if (asWard.length > 0) {
        result.wards = asWard;
        result.wardText = result.districtText;
        result.districts = [];
        result.districtText = null;
      }
    }
    return result;
  }

  private quote(from: number, to: number): string {
    return this.text.slice(this.words[from]!.start, this.words[to - 1]!.end);
  }

  private findMatch(end: number, chunkStart: number): { start: number; marker: Marker | null } | null {
    const words = this.words;
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
      const entries = this.index.byName.get(key);
      if (!entries) continue;
      // "Thành phố Huế" is not the ward "Phố Huế": a name never starts inside a two-word unit marker.
      if ((markerEndingAt(words, start)?.length ?? 0) === 2) continue;
      const marker = markerBefore(words, start);
      if (!marker) {
        if (/^\d/.test(key) || key.length < 2) continue;
        if (markerEndingAt(words, end - 1) !== null && length === 1) continue;
      }
      const streetBefore = !marker && start > chunkStart && this.isStreetContext(start);
      if (this.tryAccept(entries, marker, this.quote(start, end), key, streetBefore)) return { start, marker };
    }
    return null;
  }

  /** "12 Lê Lợi", "đường Trần Phú", "ấp Tân Hòa": a name right after a house number or street word is a street or hamlet. */
  private isStreetContext(start: number): boolean {
    const words = this.words;
    const before = words[start - 1];
    if (!isStreetWord(before)) return false;
    if (before!.ascii === 'pho' && words[start - 2]?.ascii === 'thanh') return false;
    if (/\d/.test(before!.ascii) && start >= 2 && markerEndingAt(words, start - 2) !== null) return false;
    return true;
  }

  private tryAccept(entries: UnitEntry[], marker: Marker | null, written: string, key: string, streetBefore: boolean): boolean {
    const { result, index } = this;
    const type = marker?.type ?? null;
    const noneFound = result.provinceCode === null && result.districts.length === 0;
    // Province.
    if (noneFound && (type === null || type === 'city' || type === 'province')) {
      const newProvince = entries.find((e) => e.kind === 'province');
      const oldProvince = entries.filter((e) => e.kind === 'old_province');
      if (newProvince) {
        result.provinceCode = newProvince.code;
        result.provinceText = written;
        const oldScopes = new Set(index.oldProvincesOf.get(newProvince.code) ?? []);
        for (const e of oldProvince) oldScopes.add(e.code);
        this.oldScopes = oldScopes;
        return true;
      }
      if (oldProvince.length > 0) {
        const first = oldProvince[0]!;
        result.provinceCode = first.provinceCode;
        result.writtenOldProvince = first.code;
        result.provinceText = written;
        this.oldScopes = new Set([first.code]);
        return true;
      }
    }
    if (streetBefore) return false;
    // Old district.
    if (result.districts.length === 0 && (type === null || type === 'district' || type === 'city')) {
      let candidates = entries.filter((e) => e.kind === 'old_district' && (type !== 'city' || e.unit === 'thanh pho'));
      const oldScopes = this.oldScopes;
      if (oldScopes) candidates = candidates.filter((e) => oldScopes.has(e.oldProvinceCode ?? -1));
      if (candidates.length > 0 && (result.provinceCode !== null || type !== null || sameProvince(candidates))) {
        result.districts = candidates;
        result.districtText = written;
        this.districtUntagged = type === null;
        this.districtKey = key;
        return true;
      }
    }
    // Ward.
    if (type === null || type === 'ward') {
      const chosen = this.chooseWard(entries, marker);
      if (chosen.length > 0) {
        if (result.provinceCode === null && type === null && !sameProvince(chosen)) return false;
        result.wards = chosen;
        result.wardText = written;
        return true;
      }
    }
    return false;
  }

  private chooseWard(entries: UnitEntry[], marker: Marker | null): UnitEntry[] {
    const result = this.result;
    const oldScopes = this.oldScopes;
    const wanted = marker ? WARD_UNITS[marker.unit] : undefined;
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
        const narrowed = preferUnit(inDistrict, wanted);
        result.districts = result.districts.filter((d) => narrowed.some((w) => w.districtCode === d.code));
        return narrowed;
      }
      if (newWards.length > 0) return preferUnit(newWards, wanted);
      if (oldWards.length > 0 && result.provinceCode !== null) {
        result.wardOutsideDistrict = true;
        return preferUnit(oldWards, wanted);
      }
      return [];
    }
    if (newWards.length > 0) return preferUnit(newWards, wanted);
    return preferUnit(oldWards, wanted);
  }

  private findTaggedSpan(end: number, chunkStart: number): { marker: Marker; markerStart: number } | null {
    for (let last = end - 2; last >= Math.max(chunkStart, end - 1 - MAX_NAME_WORDS); last--) {
      const marker = markerEndingAt(this.words, last);
      if (!marker) continue;
      const markerStart = last - marker.length + 1;
      if (markerStart < chunkStart) continue;
      if (marker.type === 'ward' || marker.type === 'district') return { marker, markerStart };
      return null;
    }
    return null;
  }
}

export function scanAddress(words: readonly Word[], text: string): ScanResult {
  return new AddressScan(words, text).run();
}

/** The units of the kind the marker names ("P." → phường), when there are any; else all of `list`. */
function preferUnit(list: UnitEntry[], wanted: string | undefined): UnitEntry[] {
  if (!wanted) return list;
  const same = list.filter((e) => e.unit === wanted);
  return same.length > 0 ? same : list;
}

function sameProvince(entries: readonly UnitEntry[]): boolean {
  return entries.every((e) => e.provinceCode === entries[0]!.provinceCode);
}

function hasStreetWords(words: readonly Word[], end: number): boolean {
  return words.slice(0, end).some((w) => /[a-z0-9]/.test(w.ascii));
}
