/**
 * score-file's output writer. Each line is built as `JSON.stringify(ScoreFileOutput)` would, byte for
 * byte, but as its UTF-8 bytes in a latin1 string (one character per byte): such strings stay one
 * byte per character when joined and become a Buffer by a plain copy, where the Vietnamese
 * explanations made every line a two-byte string that then had to be encoded. The few distinct
 * codes, marketplaces and explanations are encoded once, and each shop's reasons once per shop.
 * `outputLineReference` is what a line means.
 */
import type { Reason } from '../../src/core/domain/reasons.ts';
import { SCORING_CONFIG } from '../config.ts';
import type { ScoringItem } from '../pipeline.ts';
import type { ScoringShop } from '../types.ts';
import { latin1FromUtf8, latin1FromUtf8Reference } from './recode.ts';

/** One output line of score-file. */
export interface ScoreFileOutput {
  id: string;
  marketplace: string;
  shop_id: string | null;
  score: number;
  flagged: boolean;
  red_flag: boolean;
  reasons: { code: string; weight: number; detail: string; en: string; vi: string }[];
  reference_price_vnd: number | null;
  scoring_version: string;
}

/** The definition of an output line: `JSON.stringify` and a newline, as UTF-8 bytes in a latin1 string. */
export function outputLineReference(output: ScoreFileOutput): string {
  return latin1FromUtf8Reference(`${JSON.stringify(output)}\n`);
}

/** Builds score-file output lines (see the module comment); one per run, it remembers shops by index. */
export class OutputLineEncoder {
  /** By shop index (`BatchResult.listingShop`). */
  private readonly shops: (ShopJson | undefined)[];
  private readonly encoded = new Map<string, string>();
  /** Per reason code: its explanations and the encoded JSON around weight and detail. */
  private readonly templates = new Map<string, { en: string; vi: string; head: string; tail: string }>();
  private readonly tail: string;

  constructor(shopCount: number, scoringVersion: string) {
    // Sized up front: filling a growing array at scattered indexes would turn it into a dictionary.
    this.shops = new Array<ShopJson | undefined>(shopCount);
    this.tail = `,"scoring_version":${jsonBytes(scoringVersion)}}\n`;
  }

  /** The line `outputLineReference` gives for this listing's result (`shopIndex` -1 without a shop). */
  line(
    item: ScoringItem,
    shopIndex: number,
    score: number,
    flagged: boolean,
    reasons: readonly Reason[],
    referencePriceVnd: number | null,
  ): string {
    const shop = item.shop && shopIndex >= 0 ? this.shop(shopIndex, item.shop) : null;
    let json = `{"id":${jsonBytes(item.listing.id)},"marketplace":${this.constant(item.listing.marketplace)},"shop_id":${shop ? shop.id : 'null'},"score":${number(score)},"flagged":${flagged},"red_flag":${score > SCORING_CONFIG.redThreshold},"reasons":[`;
    for (let i = 0; i < reasons.length; i++) {
      if (i > 0) json += ',';
      json += this.reason(reasons[i]!, shop);
    }
    return `${json}],"reference_price_vnd":${referencePriceVnd === null ? 'null' : number(referencePriceVnd)}${this.tail}`;
  }

  private shop(index: number, shop: ScoringShop): ShopJson {
    let json = this.shops[index];
    if (json === undefined) this.shops[index] = json = { id: jsonBytes(shop.id), reasons: [], reasonJson: [] };
    return json;
  }

  private reason(reason: Reason, shop: ShopJson | null): string {
    // Shop-level reasons are the same objects on every listing of a shop: found by identity among
    // the shop's few, each is encoded once.
    if (shop === null || !mayBeShopLevel(reason.code)) return this.reasonJson(reason);
    const known = shop.reasons.indexOf(reason);
    if (known >= 0) return shop.reasonJson[known]!;
    const json = this.reasonJson(reason);
    // A listing's own identity reason (authorised seller) is new on every line: keep the list short.
    if (shop.reasons.length < MAX_SHOP_REASONS) {
      shop.reasons.push(reason);
      shop.reasonJson.push(json);
    }
    return json;
  }

  private reasonJson(reason: Reason): string {
    let template = this.templates.get(reason.code);
    if (template === undefined || template.en !== reason.en || template.vi !== reason.vi) {
      template = {
        en: reason.en,
        vi: reason.vi,
        head: `{"code":${jsonBytes(reason.code)},"weight":`,
        tail: `,"en":${jsonBytes(reason.en)},"vi":${jsonBytes(reason.vi)}}`,
      };
      if (this.templates.size < 10_000) this.templates.set(reason.code, template);
    }
    return `${template.head}${number(reason.weight)},"detail":${jsonBytes(reason.detail)}${template.tail}`;
  }

  /** Marketplaces repeat: encode each distinct one once. */
  private constant(text: string): string {
    let json = this.encoded.get(text);
    if (json === undefined) {
      json = jsonBytes(text);
      if (this.encoded.size < 10_000) this.encoded.set(text, json);
    }
    return json;
  }
}

/** A shop's encoded id, and its shop-level reasons with their encoded JSON. */
interface ShopJson {
  id: string;
  reasons: Reason[];
  reasonJson: string[];
}

/**
 * `address.*`, `identity.*` or `network.*`, the codes of shop-level reasons, told by their first letter.
 * The one listing-level code among them, `identity.authorised_seller`, only costs a lookup: the per-shop
 * list is bounded.
 */
function mayBeShopLevel(code: string): boolean {
  const first = code.charCodeAt(0);
  return first === 0x61 || first === 0x69 || first === 0x6e;
}

/** Shop-level reasons remembered per shop (a shop has a handful). */
const MAX_SHOP_REASONS = 8;

/**
 * Whether JSON.stringify writes every character as it is and UTF-8 as one byte: printable ASCII but
 * `"` and `\\`. A loop: most texts are ids and short details, where a regex call costs more.
 */
function isPlainJsonText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

/** `JSON.stringify(text)` as UTF-8 bytes in a latin1 string. */
function jsonBytes(text: string): string {
  return isPlainJsonText(text) ? `"${text}"` : latin1FromUtf8(JSON.stringify(text));
}

/** A number as JSON.stringify writes it (non-finite numbers become null). */
function number(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** Output is written in chunks of about this many bytes. */
const WRITE_CHUNK_BYTES = 1 << 20;

/**
 * Copies latin1 lines (one byte per character) into Buffers of about a megabyte and writes those:
 * joining a megabyte of lines into one string first made flattening it cost more than building them.
 */
export class ChunkedLineWriter {
  private chunk: Buffer;
  private used = 0;

  /** @param chunkBytes @default 1 MiB */
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly chunkBytes = WRITE_CHUNK_BYTES,
  ) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
  }

  /** Adds a line; returns a promise to await only when the stream asked to wait (else null). */
  push(line: string): Promise<void> | null {
    let wait: Promise<void> | null = null;
    if (this.used + line.length > this.chunk.length) {
      if (this.used > 0 && !this.out.write(this.chunk.subarray(0, this.used)))
        wait = new Promise((resolve) => this.out.once('drain', () => resolve()));
      this.chunk = Buffer.allocUnsafe(Math.max(this.chunkBytes, line.length));
      this.used = 0;
    }
    this.used += this.chunk.write(line, this.used, 'latin1');
    return wait;
  }

  /** Writes what is left (the stream is not ended). */
  flush(): void {
    if (this.used > 0) this.out.write(this.chunk.subarray(0, this.used));
    this.used = 0;
  }
}
