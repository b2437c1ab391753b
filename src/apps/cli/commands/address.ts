import type { Command } from 'commander';
import { UserError } from '../../../core/errors.ts';

/** Registers `radar check-address`: one shop address → 2025 province/ward, quality class and issues, as JSON. */
export function register(program: Command): void {
  program
    .command('check-address')
    .description(
      'resolve a Vietnamese shop address (old 63-province or July 2025 34-province scheme) to its 2025 province and ward, and classify it',
    )
    .argument('<text>', 'the address as the shop wrote it (quote it)')
    .option('--declared-location <label>', "the marketplace's location label for the shop, compared with the address")
    .addHelpText(
      'after',
      `
Prints one JSON object: province, province_code, ward, ward_code, old_province, quality, issues[].
quality is one of: complete, ward_province, province_only, placeholder, missing, inconsistent, overseas.

Examples:
  $ radar check-address "123 Nguyễn Trãi, P.12, Q.5, TP.HCM"                 # old scheme, with district
  $ radar check-address "12 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh"   # 2025 scheme, no district
  $ radar check-address "so 5 ngo 10 Khuong Trung, Thanh Xuan, Ha Noi"         # without diacritics
  $ radar check-address "Ấp 3, Xã Vĩnh Trạch, Bạc Liêu" --declared-location "Hà Nội"
  $ radar check-address "Kho Quảng Châu" | jq .quality`,
    )
    .action(async (text: string, options: { declaredLocation?: string }) => {
      if (text.length > 2000) throw new UserError('the address is longer than 2,000 characters; pass only the address text');
      const { resolveAddress } = await import('../../../../scoring/address/index.ts');
      const resolution = resolveAddress(text, { declaredLocation: options.declaredLocation ?? null });
      process.stdout.write(
        `${JSON.stringify({
          province: resolution.province,
          province_code: resolution.province_code,
          ward: resolution.ward,
          ward_code: resolution.ward_code,
          old_province: resolution.old_province,
          quality: resolution.quality,
          issues: resolution.issues,
        })}\n`,
      );
    });
}
