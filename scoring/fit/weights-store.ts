/**
 * Where fitted weights live: `<RADAR_DATA_DIR>/scoring/weights/<version>.json`, and the active
 * version's name in `<RADAR_DATA_DIR>/scoring/active`. They are the office's own data (learnt from its
 * analysts' verdicts), not source code, and offline runs (score-file, eval) read them without a database.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILTIN_SCORING_VERSION } from '../weights.ts';
import { parseWeightsFile, serialiseWeightsFile, type WeightsFile } from './weights-file.ts';

export function weightsDir(dataDir: string): string {
  return path.join(dataDir, 'scoring', 'weights');
}

function activeFile(dataDir: string): string {
  return path.join(dataDir, 'scoring', 'active');
}

function fileOf(dataDir: string, version: string): string {
  if (!/^[A-Za-z0-9.+-]+$/.test(version)) throw new Error(`"${version.slice(0, 60)}" is not a scoring version name`);
  return path.join(weightsDir(dataDir), `${version}.json`);
}

/** Writes a weights file (atomically: a half-written file is never read); returns its path. */
export function saveWeights(dataDir: string, file: WeightsFile): string {
  const target = fileOf(dataDir, file.version);
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}`;
  writeFileSync(temp, serialiseWeightsFile(file));
  renameSync(temp, target);
  return target;
}

/** The stored weights of `version`, or null when there is no such file. Throws on a malformed one. */
export function loadWeights(dataDir: string, version: string): WeightsFile | null {
  const file = fileOf(dataDir, version);
  if (!existsSync(file)) return null;
  const parsed = parseWeightsFile(readFileSync(file, 'utf8'), file);
  if (parsed.version !== version) throw new Error(`${file}: version: says ${parsed.version}, but the file is named for ${version}`);
  return parsed;
}

/** Every stored version, oldest first (by created_at, then name); malformed files are reported, not thrown. */
export function listWeights(dataDir: string): { files: WeightsFile[]; problems: string[] } {
  const dir = weightsDir(dataDir);
  if (!existsSync(dir)) return { files: [], problems: [] };
  const files: WeightsFile[] = [];
  const problems: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    try {
      const loaded = loadWeights(dataDir, name.slice(0, -'.json'.length));
      if (loaded) files.push(loaded);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  files.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.version.localeCompare(b.version));
  return { files, problems };
}

/** The active version's name: the built-in one unless `radar scoring use` chose another. */
export function activeVersion(dataDir: string): string {
  const file = activeFile(dataDir);
  if (!existsSync(file)) return BUILTIN_SCORING_VERSION;
  const name = readFileSync(file, 'utf8').trim();
  return name === '' ? BUILTIN_SCORING_VERSION : name;
}

/** Makes `version` active (the built-in version removes the pointer). */
export function setActiveVersion(dataDir: string, version: string): void {
  const file = activeFile(dataDir);
  if (version === BUILTIN_SCORING_VERSION) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, `${version}\n`);
  renameSync(temp, file);
}

/**
 * The active weights: null for the built-in ones. Throws a one-line Error when the pointer names a
 * version whose file is missing or malformed, so a run never silently scores with other weights.
 */
export function loadActiveWeights(dataDir: string): WeightsFile | null {
  const version = activeVersion(dataDir);
  if (version === BUILTIN_SCORING_VERSION) return null;
  const file = loadWeights(dataDir, version);
  if (!file)
    throw new Error(
      `active scoring version ${version} has no weights file in ${weightsDir(dataDir)}; run \`radar scoring use ${BUILTIN_SCORING_VERSION}\` or restore the file`,
    );
  return file;
}
