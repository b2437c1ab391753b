import type { Reason } from '../../src/core/domain/reasons.ts';
import type { AddressResolution, LocationLabelResolution } from '../address/index.ts';
import { SCORING_CONFIG } from '../config.ts';
import { makeReason } from '../reason.ts';

const QUALITY_TEXT: Record<string, { en: string; vi: string }> = {
  missing: { en: 'Shop gives no address (required by Decree 85/2021)', vi: 'Shop không ghi địa chỉ (bắt buộc theo NĐ 85/2021)' },
  placeholder: { en: 'Shop address is a placeholder, not a place', vi: 'Địa chỉ shop chỉ là ghi chung chung, không có thật' },
  province_only: { en: 'Shop address names only a province', vi: 'Địa chỉ shop chỉ ghi tỉnh/thành' },
  ward_province: { en: 'Shop address has no street or house number', vi: 'Địa chỉ shop thiếu số nhà, tên đường' },
  inconsistent: {
    en: 'Shop address is inconsistent (ward not in that province)',
    vi: 'Địa chỉ shop mâu thuẫn (phường/xã không thuộc tỉnh)',
  },
  overseas: { en: 'Shop is located overseas', vi: 'Shop ở nước ngoài' },
};

/**
 * Address-clarity reasons from the address engineer's resolution: the quality class, and a
 * mismatch between the written address and the marketplace's declared location.
 */
export function addressReasons(
  rawAddress: string | null,
  resolution: AddressResolution,
  declared: LocationLabelResolution | null,
): Reason[] {
  const cfg = SCORING_CONFIG.address;
  const reasons: Reason[] = [];
  const weight = cfg.quality[resolution.quality] ?? 0;
  const text = QUALITY_TEXT[resolution.quality];
  if (weight > 0 && text) {
    const shown = rawAddress && rawAddress.trim() ? `"${rawAddress.trim().slice(0, 120)}"` : 'no address';
    const issue = resolution.issues[0];
    reasons.push(makeReason(`address.${resolution.quality}`, weight, issue ? `${shown}: ${issue}` : shown, text.en, text.vi));
  }
  if (declared && resolution.province_code !== null) {
    const mismatch = declared.overseas || (declared.province_code !== null && declared.province_code !== resolution.province_code);
    if (mismatch) {
      reasons.push(
        makeReason(
          'address.declared_mismatch',
          cfg.declaredMismatch,
          `address in ${resolution.province}, marketplace says ${declared.overseas ? 'overseas' : declared.province}`,
          'Address and the marketplace-declared location disagree',
          'Địa chỉ và nơi gửi hàng sàn ghi không khớp',
        ),
      );
    }
  }
  return reasons;
}
