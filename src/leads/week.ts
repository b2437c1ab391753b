import { UserError } from '../core/errors.ts';

/** Vietnam has no daylight saving: Asia/Ho_Chi_Minh is UTC+7 all year. */
const HCM_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

export interface IsoWeek {
  /** ISO week-numbering year (may differ from the calendar year around New Year). */
  year: number;
  week: number;
  /** "2026-W48" */
  label: string;
  /** Monday 00:00 in Asia/Ho_Chi_Minh, as an instant. */
  start: Date;
  /** The next Monday 00:00 in Asia/Ho_Chi_Minh (exclusive end). */
  end: Date;
}

/** Monday of ISO week 1 as a UTC-midnight timestamp of the local calendar day. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - weekday * DAY_MS;
}

function weeksInYear(year: number): number {
  return (week1Monday(year + 1) - week1Monday(year)) / (7 * DAY_MS);
}

function build(year: number, week: number): IsoWeek {
  const localMonday = week1Monday(year) + (week - 1) * 7 * DAY_MS;
  return {
    year,
    week,
    label: `${year}-W${String(week).padStart(2, '0')}`,
    start: new Date(localMonday - HCM_OFFSET_MS),
    end: new Date(localMonday + 7 * DAY_MS - HCM_OFFSET_MS),
  };
}

/** Parses "2026-W48" (or "2026W48"); refuses weeks the year does not have. */
export function parseIsoWeek(text: string): IsoWeek {
  const match = /^(\d{4})-?W(\d{1,2})$/i.exec(text.trim());
  if (!match) throw new UserError(`"${text}" is not an ISO week; write it like 2026-W48 (see \`radar leads export --help\`)`);
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > weeksInYear(year)) {
    throw new UserError(`${year} has ${weeksInYear(year)} ISO weeks; week ${week} does not exist`);
  }
  return build(year, week);
}

/** The ISO week an instant falls in, counted on the Asia/Ho_Chi_Minh calendar. */
export function isoWeekOf(instant: Date): IsoWeek {
  const local = instant.getTime() + HCM_OFFSET_MS;
  const localDay = Math.floor(local / DAY_MS) * DAY_MS;
  const weekday = (new Date(localDay).getUTCDay() + 6) % 7;
  const thursday = new Date(localDay + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - week1Monday(year)) / (7 * DAY_MS)) + 1;
  return build(year, week);
}

/** "2026-11-28 19:05:00" — an instant as a wall-clock time in Asia/Ho_Chi_Minh. */
export function hcmLocalTime(instant: Date): string {
  return new Date(instant.getTime() + HCM_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 19);
}
