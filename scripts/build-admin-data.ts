/**
 * Derives the compact admin-unit dataset (scoring/data/vn-admin.json) from the official lists in
 * ../shared/data/vn-admin/: 2025 provinces and wards, pre-2025 provinces/districts/wards, and the
 * ward-level old→new conversion table. Run with `npm run build:admin-data [SOURCE_DIR] [OUT_FILE]`.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { AdminDataset } from '../scoring/address/dataset-schema.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = resolve(process.argv[2] ?? resolve(repoRoot, '../shared/data/vn-admin'));
const outFile = resolve(process.argv[3] ?? resolve(repoRoot, 'scoring/data/vn-admin.json'));

const newProvincesSchema = z.array(
  z.object({
    name: z.string(),
    code: z.number().int(),
    wards: z.array(z.object({ name: z.string(), code: z.number().int() })),
  }),
);
const oldProvincesSchema = z.array(
  z.object({
    name: z.string(),
    code: z.number().int(),
    districts: z.array(
      z.object({
        name: z.string(),
        code: z.number().int(),
        wards: z.array(z.object({ name: z.string(), code: z.number().int() })),
      }),
    ),
  }),
);

/** RFC 4180 CSV: quoted fields may contain commas and newlines (the conversion table has both). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(resolve(sourceDir, file), 'utf8'));
}

const clean = (name: string): string => name.normalize('NFC').replace(/\s+/g, ' ').trim();

function build(): AdminDataset {
  const newProvinces = newProvincesSchema.parse(readJson('2025-07_34provinces_nested-divisions.json'));
  const oldProvinces = oldProvincesSchema.parse(readJson('pre-2025_63provinces_nested-divisions_2025-01-04.json'));

  const newWardProvince = new Map<number, number>();
  for (const p of newProvinces) for (const w of p.wards) newWardProvince.set(w.code, p.code);
  const oldWardCodes = new Set<number>();
  for (const p of oldProvinces) for (const d of p.districts) for (const w of d.wards) oldWardCodes.add(w.code);

  // Old ward → new wards, whole-merge rows first so the first target is the best single answer.
  const conversion = new Map<number, { code: number; whole: boolean }[]>();
  const csv = parseCsv(readFileSync(resolve(sourceDir, '2025-07_old-to-new_ward_conversion_table.csv'), 'utf8'));
  let skipped = 0;
  for (const cells of csv) {
    const newCode = Number((cells[2] ?? '').trim());
    const oldCode = Number((cells[4] ?? '').trim());
    if (!Number.isInteger(newCode) || !Number.isInteger(oldCode) || (cells[2] ?? '').trim() === '') {
      skipped++;
      continue;
    }
    if (!newWardProvince.has(newCode) || !oldWardCodes.has(oldCode)) {
      skipped++;
      continue;
    }
    const note = clean(cells[5] ?? '').toLowerCase();
    const whole = note.includes('toàn bộ') || note.includes('giữ nguyên');
    const targets = conversion.get(oldCode) ?? [];
    if (!targets.some((t) => t.code === newCode)) targets.push({ code: newCode, whole });
    conversion.set(oldCode, targets);
  }

  // Old province → the 2025 province that received most of its wards (the merge list, derived).
  const oldProvinceTarget = new Map<number, number>();
  for (const p of oldProvinces) {
    const votes = new Map<number, number>();
    for (const d of p.districts)
      for (const w of d.wards)
        for (const t of conversion.get(w.code) ?? []) {
          const np = newWardProvince.get(t.code)!;
          votes.set(np, (votes.get(np) ?? 0) + 1);
        }
    const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0];
    if (!best) throw new Error(`no conversion rows for old province ${p.name}`);
    oldProvinceTarget.set(p.code, best[0]);
  }

  let unmapped = 0;
  const dataset: AdminDataset = {
    source: 'github.com/sunshine-tech/VietnamProvinces (GSO/NSO codes); derived by scripts/build-admin-data.ts',
    provinces: newProvinces.map((p) => [p.code, clean(p.name)]),
    wards: newProvinces.flatMap((p) => p.wards.map((w): [number, number, string] => [w.code, p.code, clean(w.name)])),
    oldProvinces: oldProvinces.map((p) => [p.code, clean(p.name), oldProvinceTarget.get(p.code)!]),
    oldDistricts: oldProvinces.flatMap((p) => p.districts.map((d): [number, number, string] => [d.code, p.code, clean(d.name)])),
    oldWards: oldProvinces.flatMap((p) =>
      p.districts.flatMap((d) =>
        d.wards.map((w): [number, number, string, number[]] => {
          const targets = [...(conversion.get(w.code) ?? [])].sort((a, b) => Number(b.whole) - Number(a.whole));
          if (targets.length === 0) unmapped++;
          return [w.code, d.code, clean(w.name), targets.map((t) => t.code)];
        }),
      ),
    ),
  };
  process.stderr.write(
    `build-admin-data: ${dataset.provinces.length} provinces, ${dataset.wards.length} wards, ` +
      `${dataset.oldProvinces.length} old provinces, ${dataset.oldDistricts.length} old districts, ` +
      `${dataset.oldWards.length} old wards (${unmapped} without a conversion row), ${skipped} CSV rows skipped\n`,
  );
  return dataset;
}

const dataset = build();
mkdirSync(dirname(outFile), { recursive: true });
// One unit per line: small diffs when the official lists change, still compact.
const lines = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join(',\n');
writeFileSync(
  outFile,
  `{"source":${JSON.stringify(dataset.source)},\n"provinces":[\n${lines(dataset.provinces)}],\n"wards":[\n${lines(dataset.wards)}],\n` +
    `"oldProvinces":[\n${lines(dataset.oldProvinces)}],\n"oldDistricts":[\n${lines(dataset.oldDistricts)}],\n"oldWards":[\n${lines(dataset.oldWards)}]}\n`,
);
process.stderr.write(`build-admin-data: wrote ${outFile}\n`);
