/**
 * One way to show an instant to people, in every command and export: the wall-clock time in
 * Asia/Ho_Chi_Minh with its offset ("2026-12-02 01:09:46 +07:00"), or UTC when asked ("… +00:00").
 * Vietnam has kept UTC+7 without daylight saving since 1975, so the offset is a constant.
 */

/** Which clock instants are shown on. */
export type TimeZoneChoice = 'hcm' | 'utc';

const OFFSET_MS: Record<TimeZoneChoice, number> = { hcm: 7 * 3_600_000, utc: 0 };
const MAX_DATE_MS = 8.64e15;
const OFFSET_TEXT: Record<TimeZoneChoice, string> = { hcm: '+07:00', utc: '+00:00' };

/** Options of {@link formatInstant}. */
export interface TimeFormatOptions {
  /**
   * The clock to show.
   * @default 'hcm'
   */
  zone?: TimeZoneChoice;
}

/** "2026-12-02 01:09:46 +07:00"; an invalid date is the empty string. */
export function formatInstant(instant: Date, options: TimeFormatOptions = {}): string {
  let zone = options.zone ?? 'hcm';
  const ms = instant.getTime();
  if (Number.isNaN(ms)) return '';
  // At the very end of the Date range the local wall clock is not representable: show UTC instead.
  if (Math.abs(ms + OFFSET_MS[zone]) > MAX_DATE_MS) zone = 'utc';
  const wall = new Date(ms + OFFSET_MS[zone]).toISOString();
  return `${wall.slice(0, 10)} ${wall.slice(11, 19)} ${OFFSET_TEXT[zone]}`;
}
