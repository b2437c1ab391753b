/**
 * Derives the small admin-unit table the sandbox uses for addresses from the official lists in
 * `../shared/data/vn-admin/`. Run once: `npx tsx src/devtools/sandbox/data/build-admin-table.ts [vn-admin dir]`.
 * The output is checked in so the generator never reads the multi-megabyte source files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

interface NewWard { name: string }
interface NewProvince { name: string; wards: NewWard[] }
interface OldWard { name: string }
interface OldDistrict { name: string; wards: OldWard[] }
interface OldProvince { name: string; districts: OldDistrict[] }

const sourceDir = process.argv[2] ?? '/work/shared/data/vn-admin';
const here = dirname(fileURLToPath(import.meta.url));
const newProvinces = JSON.parse(readFileSync(join(sourceDir, '2025-07_34provinces_nested-divisions.json'), 'utf8')) as NewProvince[];
const oldProvinces = JSON.parse(readFileSync(join(sourceDir, 'pre-2025_63provinces_nested-divisions_2025-01-04.json'), 'utf8')) as OldProvince[];

/** Every ward short name (without "Phường"/"Xã") that exists anywhere in a new province, old or new scheme. */
const shortName = (name: string): string => name.replace(/^(Phường|Xã|Thị trấn|Đặc khu)\s+/u, '');
const pick = <T>(items: T[], count: number): T[] => {
  if (items.length <= count) return items;
  const step = items.length / count;
  return Array.from({ length: count }, (_, k) => items[Math.floor(k * step)]!);
};

const newTable = newProvinces.map((p) => ({ name: p.name, wards: pick(p.wards, 12).map((w) => w.name) }));
const oldTable = oldProvinces.map((p) => ({
  name: p.name,
  districts: pick(p.districts, 3).map((d) => ({ name: d.name, wards: pick(d.wards, 4).map((w) => w.name) })),
}));

// Foreign wards: real ward names that do not occur in the province in either scheme, for the "ward not in province" case.
const namesByNewProvince = new Map(newProvinces.map((p) => [p.name, new Set(p.wards.map((w) => shortName(w.name)))]));
const oldShortNames = new Set(oldProvinces.flatMap((p) => p.districts.flatMap((d) => d.wards.map((w) => shortName(w.name)))));
// A ward name that exists only in another new province (never in this one, never in the old scheme) cannot be
// read as a stale pre-2025 address, so stating it with this province is unambiguously wrong.
const foreign = newProvinces.map((p, index) => {
  const own = namesByNewProvince.get(p.name)!;
  const others = newProvinces.filter((_, k) => k !== index).flatMap((q) => q.wards.map((w) => shortName(w.name)));
  const candidates = [...new Set(others)].filter((n) => !/^\d/.test(n) && !own.has(n) && !oldShortNames.has(n)).sort();
  return { province: p.name, wards: pick(candidates, 6) };
});

const out = { source: 'derived from ../shared/data/vn-admin (GSO/NSO names via sunshine-tech/VietnamProvinces)', newProvinces: newTable, oldProvinces: oldTable, foreignWards: foreign };
writeFileSync(join(here, 'admin-units.json'), `${JSON.stringify(out)}\n`);
process.stderr.write(`wrote admin-units.json: ${newTable.length} new provinces, ${oldTable.length} old provinces\n`);
