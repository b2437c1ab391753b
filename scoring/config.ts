/**
 * Every weight and threshold of the scorer, in one place. Each reason carries evidence points (its
 * weight; negative weights count against risk); a listing's score is its summed evidence mapped to
 * 0–100 by `scoreFromEvidence` (scoring/reason.ts), a noisy-OR that never clamps: 70 points score 70.
 *
 * - A listing at or above {@link SCORING_CONFIG.leadThreshold} (70, i.e. 70 evidence points) becomes a lead.
 * - Above {@link SCORING_CONFIG.redThreshold} (80, i.e. more than 94 evidence points) it is a red flag.
 *
 * Change a weight here, bump SCORING_VERSION in pipeline.ts, and old scores stay in the database
 * under their own version.
 */
export const SCORING_CONFIG = {
  /** Default score at which a listing, shop or network becomes a lead. */
  leadThreshold: 70,
  /** Score above which a lead is shown as a red flag. */
  redThreshold: 80,

  combination: {
    /** Evidence points that score exactly this much: keeps the lead threshold's meaning. @default 70 */
    anchorPoints: 70,
  },

  address: {
    /** Weights per address quality; complete addresses add nothing. */
    quality: {
      complete: 0,
      ward_province: 3,
      province_only: 10,
      placeholder: 16,
      missing: 16,
      inconsistent: 12,
      overseas: 10,
    } as Record<string, number>,
    /** The address names another province than the marketplace's declared location. */
    declaredMismatch: 10,
  },

  identity: {
    phoneMissing: 5,
    phoneInvalid: 10,
    taxCodeMissing: 5,
    taxCodeBadCheckDigit: 14,
    /** Shops younger than this many days count as very new. */
    newShopDays: 30,
    newShop: 8,
    /** Fewer followers than this counts as "few". */
    fewFollowers: 20,
    fewFollowersWeight: 5,
    /** A non-official shop selling at least this many distinct premium brands. */
    manyPremiumBrands: 4,
    manyPremiumBrandsWeight: 15,
    /** Marketplace-official store (Mall, LazMall, Tiki official): strongly against risk. */
    official: -45,
    /** Listed as an authorised seller of the listing's brand: strongly against risk. */
    authorisedSeller: -45,
    /** Shop-level risk (address + identity, before the negative weights) never adds more than this. */
    shopRiskCap: 32,
  },

  price: {
    /** Price under this share of the catalogue's typical retail price. */
    farBelowReferenceRatio: 0.2,
    farBelowReference: 55,
    belowReferenceRatio: 0.35,
    belowReference: 45,
    /** Price under this share of the catalogue's minimum plausible price. */
    belowMinimumRatio: 0.7,
    belowMinimum: 15,
    /** Robust z-score of log-price against same-brand, same-group peers. */
    peerZ: -3,
    /** ...and at most this share of the peer median. */
    peerMaxRatio: 0.5,
    belowPeers: 25,
    /** Peers needed before peer statistics are trusted. */
    minPeers: 8,
    /** Floor on the MAD of log-price so identical peer prices do not make every difference infinite. */
    madFloor: 0.08,
    /** Claimed discount (1 − price / original price) at or above this is inflated. */
    inflatedDiscount: 0.7,
    inflatedOriginal: 30,
    extremeDiscount: 0.9,
    extremeOriginal: 38,
    /** Prices outside this range, or not a multiple of priceGranularity, are rejected as implausible. */
    minPlausibleVnd: 1_000,
    maxPlausibleVnd: 5_000_000_000,
    priceGranularity: 100,
  },

  brand: {
    /** Brand written in a disguised spelling (spacing, leetspeak, homoglyph, zero-width, typo). */
    disguised: 55,
    /** The stated brand field names another catalogued brand than the title. */
    statedMismatch: 40,
    /** "chính hãng"/"auth" claim by a shop that is neither official nor authorised. */
    unauthorisedClaim: 25,
    /** ...and the price is also below reference. */
    unauthorisedClaimLowPrice: 15,
    /** "dáng Gucci", "kiểu Chanel", "inspired by Dior". */
    lookalike: 40,
    /** Invisible characters or Cyrillic/Greek letters inside a Latin word, whatever the brand. */
    obfuscatedText: 55,
  },

  lexicon: {
    /** Outright-fake words ("rep 1:1", "super fake", "hàng nhái"). */
    fake: 62,
    /** Ambiguous fake words ("F1", "loại 1", "AAA", "copy") — only with a brand mention. */
    fakeWithBrand: 55,
    /** Laundering labels ("VNXK", "hàng Quảng Châu", "giá xưởng"). */
    laundering: 56,
    /** Smuggling / grey import ("xách tay", "hàng nội địa Trung", "không hóa đơn"). */
    smuggling: 56,
    /** "full box, full tag": a laundering label only worth a little on its own. */
    fullBox: 30,
    /** Extra weight for each further distinct term, up to lexiconExtraCap. */
    extraTerm: 8,
    extraCap: 16,
  },

  network: {
    /** Another shop in the same network has a listing at or above the lead threshold. */
    riskyMember: 18,
    /** Names must fold to at least this many characters before near-identical names link shops. */
    minNameKey: 6,
    /** A linked group larger than this is reported for review with its weakest links, not merged. @default 50 */
    maxSize: 50,
    /** Links a network lead lists as its evidence. @default 12 */
    evidenceLinks: 12,
  },
} as const;

export type ScoringConfig = typeof SCORING_CONFIG;
