import { UserError } from '../../core/errors.ts';

/** `--province` as a 2025 province code: a code as it is, a name (any scheme, accents optional) through the address resolver. */
export async function provinceCodeOption(text: string): Promise<number> {
  if (/^\d{1,3}$/.test(text.trim())) return Number(text.trim());
  const { resolveAddress } = await import('../../../scoring/address/index.ts');
  const resolution = resolveAddress(text);
  if (resolution.province_code === null) throw new UserError(`--province "${text.slice(0, 200)}" is not a province; give a name such as "TP.HCM" or "Hà Nội", or a code`);
  return resolution.province_code;
}
