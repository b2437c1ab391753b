/**
 * The one place commands turn filter options into values: every enumerated option either resolves
 * or stops with exit 2 and the closest matches (src/core/choices.ts). `--province` takes a 2025
 * name, a pre-2025 name (mapped to the 2025 province it merged into), an abbreviation or a code.
 */
import { adminIndex } from '../../../scoring/address/dataset.ts';
import { resolveLocationLabel } from '../../../scoring/address/index.ts';
import { exactChoice, unknownChoiceMessage, type Choice } from '../../core/choices.ts';
import { UserError } from '../../core/errors.ts';

export { resolveExportFormat, resolveLeadKind, resolveLeadStatus, resolveMarketplace } from '../../leads/filters.ts';

/** A 2025 province as a filter selects it. */
export interface ProvinceFilter {
  code: number;
  /** Official 2025 name, e.g. "Thành phố Hồ Chí Minh". */
  name: string;
}

/** Abbreviations investigators type that the marketplace-label resolver does not know. */
const EXTRA_ALIASES: Readonly<Record<string, string>> = {
  dn: 'Thành phố Đà Nẵng',
  hp: 'Thành phố Hải Phòng',
  ct: 'Thành phố Cần Thơ',
  hue: 'Thành phố Huế',
  'tp hue': 'Thành phố Huế',
  'tp hn': 'Thành phố Hà Nội',
  tphn: 'Thành phố Hà Nội',
  'tp.hcm': 'Thành phố Hồ Chí Minh',
  hochiminh: 'Thành phố Hồ Chí Minh',
};

let choices: Choice<ProvinceFilter>[] | undefined;

/** Every 2025 province with its label, its code and the pre-2025 provinces merged into it. */
export function provinceChoices(): readonly Choice<ProvinceFilter>[] {
  if (choices) return choices;
  const index = adminIndex();
  choices = [...index.provinces.values()].map((p) => {
    const old = (index.oldProvincesOf.get(p.code) ?? [])
      .map((code) => index.oldProvinces.get(code)?.name)
      .filter((n): n is string => n !== undefined);
    const extra = Object.entries(EXTRA_ALIASES)
      .filter(([, name]) => name === p.name)
      .map(([alias]) => alias);
    return { value: { code: p.code, name: p.name }, label: p.name, aliases: [p.label, String(p.code), ...old, ...extra] };
  });
  return choices;
}

/**
 * The 2025 province `input` means, or a UserError naming the closest provinces. Codes are the 2025
 * codes ("79"); names resolve as marketplace labels do ("TP.HCM", "hcm", "Bình Dương" → TP. Hồ Chí Minh).
 */
export function resolveProvince(input: string, flag = '--province'): ProvinceFilter {
  const all = provinceChoices();
  const text = input.trim();
  if (/^\d+$/.test(text)) {
    const hit = all.find((c) => c.value.code === Number(text));
    if (hit) return hit.value;
    throw new UserError(
      `unknown ${flag} code ${text}; 2025 province codes are ${all
        .map((c) => c.value.code)
        .sort((a, b) => a - b)
        .join(', ')}`,
    );
  }
  const exact = exactChoice(text, all);
  if (exact) return exact.value;
  const extra = EXTRA_ALIASES[text.toLowerCase()];
  const label = resolveLocationLabel(extra ?? text);
  if (label.province_code !== null) {
    const hit = all.find((c) => c.value.code === label.province_code);
    if (hit) return hit.value;
  }
  if (label.overseas)
    throw new UserError(
      `${flag} "${input}" is a place outside Vietnam; leads without a Vietnamese province go to the national committee (the *-national export, province_source overseas)`,
    );
  throw new UserError(
    unknownChoiceMessage(flag, input, all, { hint: 'a 2025 name, a pre-2025 name, an abbreviation (HCM, HN) or a code' }),
  );
}
