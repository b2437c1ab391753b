import type { Reason } from '../../src/core/domain/reasons.ts';
import type { CompiledCatalog, CompiledReferencePrice } from '../catalog.ts';
import { makeReason } from '../reason.ts';
import { foldText, foldUtf8Bytes, tokenize } from '../text/normalize.ts';
import { packSize, packUnits } from '../text/quantity.ts';
import type { ScoringListing } from '../types.ts';
import { descriptionReasons, scanLexicon, type LexiconHit } from './lexicon.ts';
import { contextSupports, needsSupport } from './sense.ts';

/** What a listing says beyond its title's brand and lexicon: condition, pack, size, description evidence. */
export interface ListingContext {
  /** From the condition field, else title (and description) cues. */
  condition: 'new' | 'used' | 'refurbished';
  decant: boolean;
  /** Units sold for one price ("combo 3 hộp" → 3). */
  units: number;
  sizeAmount: number | null;
  sizeUnit: 'ml' | 'g' | null;
  /** Description-only lexicon evidence and grey imports of a branded good; empty for most listings. */
  reasons: Reason[];
}

/** Descriptions are long and mostly boilerplate: the first part carries what sellers say about the goods. */
const DESCRIPTION_CHARS = 3000;
/** "xách tay", "nội địa Nhật" on a catalogued brand: grey import or smuggling of branded goods. */
export const GREY_BRANDED_WEIGHT = 16;

const USED_WORD = /(?:^|[^\p{L}\p{N}])(?:cũ|Cũ|CŨ)(?:$|[^\p{L}\p{N}])/u;
const REFURBISHED = /(?:^| )(?:refurbished|refurb|tan trang|hang dung lai)(?: |$)/;

/** The listing's condition: the marketplace field first, then "cũ", "2hand", "like new", "tân trang" in the title. */
export function listingCondition(
  listing: Pick<ScoringListing, 'title'> & { condition?: string | null },
  foldedTitle: string,
  titleUsed: boolean,
): ListingContext['condition'] {
  const field = listing.condition;
  if (field === 'used' || field === 'refurbished' || field === 'new') return field;
  if (titleUsed) return 'used';
  if (REFURBISHED.test(foldedTitle)) return 'refurbished';
  const raw = listing.title;
  if ((raw.includes('cũ') || raw.includes('Cũ') || raw.includes('CŨ')) && USED_WORD.test(raw)) return 'used';
  return 'new';
}

/**
 * The rest of a listing's context, once per listing after the title's brands and lexicon.
 * `brand` is the listing's own brand (-1 if none), `ownMention` whether the title names it itself.
 */
export function listingContext(
  listing: ScoringListing & { condition?: string | null },
  folded: string,
  tokens: readonly string[],
  hits: readonly LexiconHit[],
  catalog: CompiledCatalog,
  brand: number,
  reference: CompiledReferencePrice | null,
): ListingContext {
  let titleUsed = false;
  let decant = false;
  let smuggling = false;
  for (const hit of hits) {
    if (hit.kind === 'used') titleUsed = true;
    else if (hit.kind === 'decant') decant = true;
    else if (hit.kind === 'smuggling') smuggling = true;
  }
  let condition = listingCondition(listing, folded, titleUsed);
  const reasons: Reason[] = [];
  const description = listing.description;
  if (description) {
    const descriptionFolded = foldText(description.length > DESCRIPTION_CHARS ? description.slice(0, DESCRIPTION_CHARS) : description).text;
    const descriptionHits = scanLexicon(descriptionFolded);
    if (descriptionHits.length > 0) {
      const reason = descriptionReasons(descriptionHits, hits, { brandMentioned: brand >= 0 });
      if (reason) reasons.push(reason);
      if (condition === 'new' && listing.condition == null && !reason && descriptionHits.some((hit) => hit.kind === 'used'))
        condition = 'used';
      if (reason?.code === 'description.smuggling') smuggling = true;
    }
  }
  if (smuggling && brand >= 0 && !catalog.brands[brand]!.borrowed && condition === 'new') {
    reasons.push(
      makeReason(
        'lexicon.grey_import_brand',
        GREY_BRANDED_WEIGHT,
        `${catalog.brands[brand]!.name} sold as hand-carried / for another country's market`,
        'Branded goods sold as hand-carried or grey import',
        'Hàng hiệu bán dạng xách tay / hàng nội địa nước ngoài',
      ),
    );
  }
  let units = 1;
  let sizeAmount: number | null = null;
  let sizeUnit: 'ml' | 'g' | null = null;
  if (reference) {
    units = packUnits(tokens, reference.matched === '*' ? null : reference.matched);
    if (reference.sizeAmount !== null) {
      const size = packSize(folded);
      if (size) {
        sizeAmount = size.amount;
        sizeUnit = size.unit;
      }
    }
  }
  return { condition, decant, units, sizeAmount, sizeUnit, reasons };
}

const nameSupportCache = new WeakMap<CompiledCatalog, Map<number, boolean>>();

/** Whether the brand's own name is an ordinary word, once per brand and catalogue. */
function nameNeedsSupport(catalog: CompiledCatalog, brand: number): boolean {
  let byBrand = nameSupportCache.get(catalog);
  if (byBrand === undefined) nameSupportCache.set(catalog, (byBrand = new Map<number, boolean>()));
  let needs = byBrand.get(brand);
  if (needs === undefined) {
    needs = needsSupport(catalog, brand, tokenize(foldText(catalog.brands[brand]!.name).text).join(''));
    byBrand.set(brand, needs);
  }
  return needs;
}

/** Description hit kinds scoring reads (`listingContext`); the rest of a description is dropped. */
const KEPT_DESCRIPTION_KINDS = new Set(['fake', 'fake_with_brand', 'laundering', 'fullbox', 'smuggling', 'used']);

/**
 * A description reduced to the lexicon terms scoring reads from it, joined by " | ", or null when
 * it has none. Scoring the condensed text gives the same reasons as scoring the description (a
 * property test checks it); score-file keeps only this, so descriptions do not fill the memory.
 * `utf8Bytes`: the description is still UTF-8 bytes, one latin1 character per byte (score-file's
 * fast path); its first DESCRIPTION_CHARS bytes are read, decoded as they are folded.
 * @param utf8Bytes @default false
 */
export function condenseDescription(description: string | null, utf8Bytes = false): string | null {
  if (!description) return null;
  const text = description.length > DESCRIPTION_CHARS ? description.slice(0, DESCRIPTION_CHARS) : description;
  const hits = scanLexicon((utf8Bytes ? foldUtf8Bytes(text) : foldText(text)).text);
  let condensed: string | null = null;
  for (const hit of hits) {
    if (!KEPT_DESCRIPTION_KINDS.has(hit.kind)) continue;
    condensed = condensed === null ? hit.term : `${condensed} | ${hit.term}`;
  }
  return condensed;
}

/**
 * The stated brand, unless it is an ordinary word the title does not support ("Mango" stated on
 * dried mango): then the listing has no brand of its own. -1 stays -1.
 */
export function supportedStatedBrand(catalog: CompiledCatalog, stated: number, tokens: readonly string[], category: string | null): number {
  if (stated < 0 || !nameNeedsSupport(catalog, stated)) return stated;
  return contextSupports(catalog, stated, ` ${tokens.join(' ')} `, category === null ? null : foldText(category).text) ? stated : -1;
}
