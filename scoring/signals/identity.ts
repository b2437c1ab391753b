import type { Reason } from '../../src/core/domain/reasons.ts';
import { SCORING_CONFIG } from '../config.ts';
import { makeReason } from '../reason.ts';

export type PhoneKind = 'mobile' | 'landline' | 'hotline';
export type PhoneResult = { ok: true; e164: string; kind: PhoneKind } | { ok: false; error: string };

/**
 * Vietnamese phone → E.164 (brief §4): mobiles are 10 digits starting 03/05/07/08/09, landlines
 * 02x + 8 digits, hotlines 1800/1900; "+84", "84" or "0084" replace the leading 0.
 */
export function normalizePhone(input: string): PhoneResult {
  const compact = input.replace(/[\s.\-()/]/g, '');
  if (!/^\+?\d+$/.test(compact)) return { ok: false, error: `not a phone number: "${input.slice(0, 40)}"` };
  let digits = compact.replace(/^\+/, '');
  if (digits.startsWith('0084')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('84') && digits.length >= 10) digits = `0${digits.slice(2)}`;
  if (/^(1800|1900)\d{4,6}$/.test(digits)) return { ok: true, e164: `+84${digits}`, kind: 'hotline' };
  if (/^0[35789]\d{8}$/.test(digits)) return { ok: true, e164: `+84${digits.slice(1)}`, kind: 'mobile' };
  if (/^02\d{9}$/.test(digits)) return { ok: true, e164: `+84${digits.slice(1)}`, kind: 'landline' };
  return { ok: false, error: `not a valid Vietnamese number: "${input.slice(0, 40)}"` };
}

const TAX_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

export type TaxCodeResult = { ok: true; normalized: string; kind: 'enterprise' | 'branch' | 'personal' } | { ok: false; error: string };

/**
 * Mã số thuế: 10 digits (10th is the check digit `10 − (Σ wᵢ·dᵢ mod 11)`), a branch "NNNNNNNNNN-NNN",
 * or since July 2025 a person's 12-digit citizen ID (no check digit to verify).
 */
export function validateTaxCode(input: string): TaxCodeResult {
  const compact = input.replace(/[\s.]/g, '');
  const match = /^(\d{10})(?:-?(\d{3}))?$/.exec(compact);
  if (!match) {
    if (/^\d{12}$/.test(compact)) return { ok: true, normalized: compact, kind: 'personal' };
    return { ok: false, error: `not 10, 13 or 12 digits: "${input.slice(0, 40)}"` };
  }
  const base = match[1]!;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += TAX_WEIGHTS[i]! * (base.charCodeAt(i) - 48);
  const check = 10 - (sum % 11);
  if (check !== base.charCodeAt(9) - 48)
    return { ok: false, error: `check digit of ${base} should be ${check === 10 ? 'impossible (no valid code)' : check}` };
  return match[2] ? { ok: true, normalized: `${base}-${match[2]}`, kind: 'branch' } : { ok: true, normalized: base, kind: 'enterprise' };
}

/** The shop fields identity signals read. */
export interface IdentityShop {
  isOfficial: boolean;
  phone: string | null;
  taxCode: string | null;
  /** Epoch milliseconds, or null when unknown. */
  joinedAtMs: number | null;
  followerCount: number | null;
}

export interface IdentityContext {
  /** "Now" for shop age, so scores are reproducible. */
  nowMs: number;
  /** Distinct premium catalogued brands among the shop's listings. */
  premiumBrandCount: number;
}

const DAY_MS = 86_400_000;

/**
 * Shop-identity risk reasons (positive weights) — missing/invalid phone and tax code, very new,
 * few followers, many premium brands — plus the official-store reason that counts against risk.
 */
export function identityReasons(shop: IdentityShop, ctx: IdentityContext): Reason[] {
  const cfg = SCORING_CONFIG.identity;
  const reasons: Reason[] = [];
  if (shop.isOfficial) {
    reasons.push(
      makeReason(
        'identity.official_store',
        cfg.official,
        'marketplace official store',
        'Official store of the marketplace',
        'Cửa hàng chính hãng (Mall) của sàn',
      ),
    );
  }
  if (!shop.phone || shop.phone.trim() === '') {
    reasons.push(makeReason('identity.phone_missing', cfg.phoneMissing, 'no phone', 'No contact phone', 'Không có số điện thoại'));
  } else {
    const phone = normalizePhone(shop.phone);
    if (!phone.ok)
      reasons.push(
        makeReason(
          'identity.phone_invalid',
          cfg.phoneInvalid,
          phone.error,
          'Phone number is not a valid Vietnamese number',
          'Số điện thoại không hợp lệ',
        ),
      );
  }
  if (!shop.taxCode || shop.taxCode.trim() === '') {
    reasons.push(
      makeReason(
        'identity.tax_code_missing',
        cfg.taxCodeMissing,
        'no tax code',
        'No tax code (required by Decree 85/2021)',
        'Không có mã số thuế (bắt buộc theo NĐ 85/2021)',
      ),
    );
  } else {
    const tax = validateTaxCode(shop.taxCode);
    if (!tax.ok)
      reasons.push(
        makeReason(
          'identity.tax_code_invalid',
          cfg.taxCodeBadCheckDigit,
          tax.error,
          'Tax code is invalid (wrong check digit)',
          'Mã số thuế không hợp lệ (sai số kiểm tra)',
        ),
      );
  }
  if (shop.joinedAtMs !== null && !shop.isOfficial) {
    const days = Math.floor((ctx.nowMs - shop.joinedAtMs) / DAY_MS);
    if (days >= 0 && days < cfg.newShopDays) {
      reasons.push(makeReason('identity.new_shop', cfg.newShop, `joined ${days} day(s) ago`, 'Very new shop', 'Shop mới lập'));
    }
  }
  if (shop.followerCount !== null && shop.followerCount < cfg.fewFollowers && !shop.isOfficial) {
    reasons.push(
      makeReason(
        'identity.few_followers',
        cfg.fewFollowersWeight,
        `${shop.followerCount} followers`,
        'Very few followers',
        'Rất ít người theo dõi',
      ),
    );
  }
  if (!shop.isOfficial && ctx.premiumBrandCount >= cfg.manyPremiumBrands) {
    reasons.push(
      makeReason(
        'identity.many_premium_brands',
        cfg.manyPremiumBrandsWeight,
        `${ctx.premiumBrandCount} premium brands`,
        'Non-official shop selling many premium brands',
        'Shop không chính hãng bán nhiều thương hiệu cao cấp',
      ),
    );
  }
  return reasons;
}
