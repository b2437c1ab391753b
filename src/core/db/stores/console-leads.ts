import type { Queryable } from '../types.ts';

/** Filters of the console's queue, already validated by the console. */
export interface QueueFilters {
  provinceCode?: number;
  marketplace?: string;
  brand?: string;
  minScore?: number;
  maxScore?: number;
  status?: string;
  /** An analyst's name, or '' for unassigned leads. */
  assignee?: string;
  /** Flagged during [start, end): first flagged before the end, still flagged after the start. */
  week?: { start: Date; end: Date };
  kind?: string;
  networkId?: number;
  /** Only when the schema has a province_source column (see `provinceSourceColumn`). */
  provinceSource?: string;
}

export type QueueSort = 'score' | 'last_flagged';

/** Where the previous page ended: the sort key and id of its last row. */
export interface QueueCursor {
  key: number | string;
  id: number;
}

export interface QueueRow {
  id: number;
  kind: string;
  score: number;
  status: string;
  assignee: string | null;
  scoring_version: string;
  province_code: number | null;
  province_name: string | null;
  marketplace: string | null;
  subject: string;
  brand: string | null;
  price_vnd: number | null;
  shop_name: string | null;
  network_id: number | null;
  first_flagged_at: Date;
  last_flagged_at: Date;
  /** The first three reasons, each in both languages. */
  top: { code: string; en: string; vi: string }[] | null;
  province_source: string | null;
}

export interface QueuePage {
  rows: QueueRow[];
  total: number;
  next: QueueCursor | null;
}

/** Which table holds `province_source` in this schema, if any (it comes with province routing). */
export async function provinceSourceColumn(db: Queryable): Promise<'leads' | 'shops' | null> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name = 'province_source' AND table_name IN ('leads', 'shops')
     ORDER BY table_name = 'leads' DESC LIMIT 1`,
  );
  const table = rows[0]?.table_name;
  return table === 'leads' || table === 'shops' ? table : null;
}

/** The tables a filter reads besides leads: l = listings, s = shops (through l), n = networks (through s). */
type Joined = 'l' | 's' | 'n';

/**
 * The WHERE clauses of the filters, adding to `joined` the tables they read. `forCount`: the brand test
 * becomes a hashed set of the brand's listing ids (the OFFSET 0 keeps PostgreSQL from turning it back
 * into one listing probe per lead, which it picks because row-level security hides how many leads
 * match); a page keeps the probe, which stops after one page of matches.
 */
function buildWhere(
  f: QueueFilters,
  sourceTable: 'leads' | 'shops' | null,
  params: unknown[],
  joined: Set<Joined>,
  forCount = false,
): string[] {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const join = (...tables: Joined[]) => tables.forEach((t) => joined.add(t));
  const where: string[] = [];
  if (f.provinceCode !== undefined) where.push(`ld.province_code = ${param(f.provinceCode)}`);
  if (f.marketplace !== undefined) {
    const p = param(f.marketplace);
    join('l', 's', 'n');
    where.push(`(COALESCE(l.marketplace, s.marketplace) = ${p} OR ${p} = ANY(n.marketplaces))`);
  }
  if (f.brand !== undefined && forCount) {
    where.push(`ld.listing_id IN (SELECT id FROM listings WHERE lower(brand) = lower(${param(f.brand)}) OFFSET 0)`);
  } else if (f.brand !== undefined) {
    join('l');
    where.push(`lower(l.brand) = lower(${param(f.brand)})`);
  }
  if (f.minScore !== undefined) where.push(`ld.score >= ${param(f.minScore)}`);
  if (f.maxScore !== undefined) where.push(`ld.score <= ${param(f.maxScore)}`);
  if (f.status !== undefined) where.push(`ld.status = ${param(f.status)}`);
  if (f.assignee !== undefined) where.push(f.assignee === '' ? 'ld.assignee IS NULL' : `ld.assignee = ${param(f.assignee)}`);
  if (f.week !== undefined) {
    where.push(`ld.first_flagged_at < ${param(f.week.end.toISOString())}::timestamptz`);
    where.push(`ld.last_flagged_at >= ${param(f.week.start.toISOString())}::timestamptz`);
  }
  if (f.kind !== undefined) where.push(`ld.kind = ${param(f.kind)}`);
  if (f.networkId !== undefined) {
    join('l', 's');
    where.push(`COALESCE(ld.network_id, s.network_id) = ${param(f.networkId)}`);
  }
  if (f.provinceSource !== undefined && sourceTable !== null) {
    if (sourceTable === 'shops') join('l', 's');
    where.push(`${sourceTable === 'leads' ? 'ld' : 's'}.province_source = ${param(f.provinceSource)}`);
  }
  return where;
}

const JOIN_LISTINGS = 'LEFT JOIN listings l ON l.id = ld.listing_id';
const JOIN_SHOPS = 'LEFT JOIN shops s ON s.id = COALESCE(ld.shop_id, l.shop_id)';
const JOIN_NETWORKS = 'LEFT JOIN networks n ON n.id = COALESCE(ld.network_id, s.network_id)';

/**
 * leads plus only the joins the filters read. Each join is a LEFT JOIN on a unique key, so leaving one
 * out changes no count; it lets a count or a page's ids come from an index-only scan of leads (0095),
 * where the full join kept PostgreSQL on the leads heap, one random page per matching lead.
 */
function filterFrom(joined: ReadonlySet<Joined>): string {
  return ['FROM leads ld', joined.size > 0 ? JOIN_LISTINGS : '', joined.has('s') ? JOIN_SHOPS : '', joined.has('n') ? JOIN_NETWORKS : '']
    .filter(Boolean)
    .join(' ');
}

/**
 * One page of the queue, keyset-paginated on (score, id) or (last_flagged_at, id), newest/best first,
 * plus the total matching count. Runs under whatever scope the caller's transaction set. The page's ids
 * are chosen first from leads and the filters' tables alone, in index order; only those rows are then
 * joined to their listing, shop and network for display.
 */
export async function queueLeads(
  db: Queryable,
  filters: QueueFilters,
  options: { sort: QueueSort; after?: QueueCursor; limit: number; provinceSourceTable: 'leads' | 'shops' | null },
): Promise<QueuePage> {
  const countParams: unknown[] = [];
  const countJoined = new Set<Joined>();
  const countWhere = buildWhere(filters, options.provinceSourceTable, countParams, countJoined, true);
  const params: unknown[] = [];
  const joined = new Set<Joined>();
  const where = buildWhere(filters, options.provinceSourceTable, params, joined);
  const keyExpr = options.sort === 'score' ? 'ld.score' : 'ld.last_flagged_at';
  if (options.after) {
    params.push(options.sort === 'score' ? Number(options.after.key) : String(options.after.key), options.after.id);
    const cast = options.sort === 'score' ? '::smallint' : '::timestamptz';
    where.push(`(${keyExpr}, ld.id) < ($${params.length - 1}${cast}, $${params.length}::bigint)`);
  }
  params.push(options.limit + 1);
  const sourceColumn =
    options.provinceSourceTable === null ? 'NULL::text' : `${options.provinceSourceTable === 'leads' ? 'ld' : 's'}.province_source`;
  const sql = `
  WITH page AS (
    SELECT ld.id ${filterFrom(joined)}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${keyExpr} DESC, ld.id DESC
    LIMIT $${params.length})
  SELECT ld.id, ld.kind, ld.score, ld.status, ld.assignee, ld.scoring_version, ld.province_code,
         COALESCE(ld.province_name, s.province_name) AS province_name,
         COALESCE(l.marketplace, s.marketplace, array_to_string(n.marketplaces, ',')) AS marketplace,
         COALESCE(l.title, s.name, n.network_key, '') AS subject,
         l.brand, l.price_vnd, s.name AS shop_name, COALESCE(ld.network_id, s.network_id) AS network_id,
         ld.first_flagged_at, ld.last_flagged_at, ${sourceColumn} AS province_source,
         (SELECT jsonb_agg(jsonb_build_object('code', r.value->>'code', 'en', r.value->>'en', 'vi', r.value->>'vi') ORDER BY r.ord)
            FROM jsonb_array_elements(ld.reasons) WITH ORDINALITY AS r(value, ord) WHERE r.ord <= 3) AS top
  FROM page JOIN leads ld ON ld.id = page.id ${JOIN_LISTINGS} ${JOIN_SHOPS} ${JOIN_NETWORKS}
  ORDER BY ${keyExpr} DESC, ld.id DESC`;
  const [page, count] = await Promise.all([
    db.query<QueueRow>(sql, params),
    db.query<{ n: number }>(
      `SELECT count(*)::int AS n ${filterFrom(countJoined)} ${countWhere.length ? `WHERE ${countWhere.join(' AND ')}` : ''}`,
      countParams,
    ),
  ]);
  const rows = page.rows.slice(0, options.limit).map((row) => ({
    ...row,
    top: typeof row.top === 'string' ? (JSON.parse(row.top) as QueueRow['top']) : row.top,
    first_flagged_at: new Date(row.first_flagged_at),
    last_flagged_at: new Date(row.last_flagged_at),
  }));
  const last = rows.at(-1);
  const next =
    page.rows.length > options.limit && last
      ? { key: options.sort === 'score' ? last.score : last.last_flagged_at.toISOString(), id: last.id }
      : null;
  return { rows, total: count.rows[0]!.n, next };
}

/** The lead's id if the caller's scope can see it (RLS hides the rest). */
export async function visibleLead(
  db: Queryable,
  leadId: number,
): Promise<{
  id: number;
  kind: string;
  listing_id: number | null;
  shop_id: number | null;
  network_id: number | null;
  province_code: number | null;
} | null> {
  const { rows } = await db.query<{
    id: number;
    kind: string;
    listing_id: number | null;
    shop_id: number | null;
    network_id: number | null;
    province_code: number | null;
  }>('SELECT id, kind, listing_id, shop_id, network_id, province_code FROM leads WHERE id = $1', [leadId]);
  return rows[0] ?? null;
}

/** Of these lead ids, the ones the caller's scope can see. */
export async function visibleLeadIds(db: Queryable, leadIds: readonly number[]): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM leads WHERE id = ANY($1::bigint[]) ORDER BY id', [[...leadIds]]);
  return rows.map((r) => Number(r.id));
}

/** Assigns (or unassigns, with null) a lead and records it in its history. Returns false when the lead is not visible. */
export async function assignLead(
  db: Queryable,
  leadId: number,
  assignee: string | null,
  actor: string,
  data: Record<string, unknown>,
): Promise<boolean> {
  const { rows } = await db.query<{ id: number; before: string | null }>(
    `UPDATE leads ld SET assignee = $2, updated_at = now()
     FROM (SELECT id, assignee AS before FROM leads WHERE id = $1 FOR UPDATE) old
     WHERE ld.id = old.id RETURNING ld.id, old.before`,
    [leadId, assignee],
  );
  if (!rows[0]) return false;
  await insertLeadEvent(db, leadId, actor, 'assigned', null, { ...data, from: rows[0].before, to: assignee });
  return true;
}

/** Appends one history row (actions of the console: assigned, capture_requested, pack_downloaded, …). */
export async function insertLeadEvent(
  db: Queryable,
  leadId: number,
  actor: string,
  event: string,
  note: string | null,
  data: Record<string, unknown>,
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO lead_events (lead_id, actor, event, note, data) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id',
    [leadId, actor, event, note, JSON.stringify(data)],
  );
  return rows[0]!.id;
}

export interface ProvinceWeekCount {
  province_code: number | null;
  province_name: string | null;
  week: string;
  leads: number;
}

/** Leads first flagged per province and ISO week (Asia/Ho_Chi_Minh), since an instant. */
export async function leadCountsByProvinceWeek(db: Queryable, since: Date): Promise<ProvinceWeekCount[]> {
  const { rows } = await db.query<ProvinceWeekCount>(
    `SELECT ld.province_code, max(ld.province_name) AS province_name,
            to_char(ld.first_flagged_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'IYYY-"W"IW') AS week, count(*)::int AS leads
     FROM leads ld WHERE ld.first_flagged_at >= $1::timestamptz
     GROUP BY 1, 3 ORDER BY 3, 1 NULLS LAST`,
    [since.toISOString()],
  );
  return rows;
}

/** Open leads per province (any age), for the tile grid. */
export async function leadCountsByProvince(db: Queryable): Promise<{ province_code: number | null; leads: number; open: number }[]> {
  const { rows } = await db.query<{ province_code: number | null; leads: number; open: number }>(
    `SELECT ld.province_code, count(*)::int AS leads, count(*) FILTER (WHERE ld.status IN ('new', 'reviewing'))::int AS open
     FROM leads ld GROUP BY 1 ORDER BY 1 NULLS LAST`,
  );
  return rows;
}

/** Choices for the queue's dropdowns, among the leads the caller can see. */
export async function queueFacets(db: Queryable): Promise<{ assignees: string[]; scoringVersions: string[] }> {
  const assignees = await db.query<{ assignee: string }>(
    'SELECT DISTINCT assignee FROM leads WHERE assignee IS NOT NULL ORDER BY 1 LIMIT 200',
  );
  const versions = await db.query<{ v: string }>('SELECT DISTINCT scoring_version AS v FROM leads ORDER BY 1');
  return { assignees: assignees.rows.map((r) => r.assignee), scoringVersions: versions.rows.map((r) => r.v) };
}

export interface NetworkShop {
  id: number;
  marketplace: string;
  name: string;
  province_name: string | null;
  phone_e164: string | null;
  tax_code: string | null;
  raw_address: string | null;
  lead_id: number | null;
  lead_score: number | null;
}

export interface NetworkLink {
  a: number;
  b: number;
  kind: 'phone' | 'tax_code' | 'address' | 'name';
}

/** A network's shops and the shared identifiers linking them (same phone, tax code, address or name). */
export async function networkGraph(
  db: Queryable,
  networkId: number,
  maxShops = 300,
): Promise<{ network: Record<string, unknown> | null; shops: NetworkShop[]; links: NetworkLink[] }> {
  const network =
    (await db.query('SELECT id, network_key, shop_count, marketplaces, link_kinds FROM networks WHERE id = $1', [networkId])).rows[0] ??
    null;
  if (!network) return { network: null, shops: [], links: [] };
  const shops = (
    await db.query<NetworkShop>(
      `SELECT s.id, s.marketplace, s.name, s.province_name, s.phone_e164, s.tax_code, s.raw_address,
              ld.id AS lead_id, ld.score AS lead_score
       FROM shops s LEFT JOIN leads ld ON ld.kind = 'shop' AND ld.shop_id = s.id
       WHERE s.network_id = $1 ORDER BY s.id LIMIT $2`,
      [networkId, maxShops],
    )
  ).rows;
  const links = (
    await db.query<NetworkLink>(
      `WITH m AS (SELECT id, phone_e164, tax_code, lower(regexp_replace(raw_address, '\\s+', ' ', 'g')) AS addr, lower(name) AS nm
                  FROM shops WHERE network_id = $1 ORDER BY id LIMIT $2)
       SELECT a.id AS a, b.id AS b, k.kind
       FROM m a JOIN m b ON a.id < b.id
       CROSS JOIN LATERAL (VALUES
         ('phone', a.phone_e164 IS NOT NULL AND a.phone_e164 = b.phone_e164),
         ('tax_code', a.tax_code IS NOT NULL AND a.tax_code = b.tax_code),
         ('address', a.addr IS NOT NULL AND length(a.addr) > 8 AND a.addr = b.addr),
         ('name', a.nm = b.nm)) AS k(kind, hit)
       WHERE k.hit
       ORDER BY 1, 2, 3`,
      [networkId, maxShops],
    )
  ).rows;
  return { network, shops, links };
}

/** One evidence row if the caller's scope can see it. */
export async function visibleEvidence(db: Queryable, evidenceId: number): Promise<{ id: number; files: unknown } | null> {
  const { rows } = await db.query<{ id: number; files: unknown }>('SELECT id, files FROM evidence WHERE id = $1', [evidenceId]);
  return rows[0] ?? null;
}

/** The price the scorer compared against, from the lead's scoring version. */
export async function listingReferencePrice(db: Queryable, listingId: number, scoringVersion: string): Promise<number | null> {
  const { rows } = await db.query<{ reference_price_vnd: number | null }>(
    'SELECT reference_price_vnd FROM listing_scores WHERE listing_id = $1 AND scoring_version = $2',
    [listingId, scoringVersion],
  );
  return rows[0]?.reference_price_vnd ?? null;
}

/** Whether the caller's scope sees any lead about this network (its own lead, or a shop or listing in it). */
export async function networkVisible(db: Queryable, networkId: number): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM leads ld
     LEFT JOIN listings l ON l.id = ld.listing_id
     LEFT JOIN shops s ON s.id = COALESCE(ld.shop_id, l.shop_id)
     WHERE ld.network_id = $1 OR s.network_id = $1 LIMIT 1`,
    [networkId],
  );
  return rows.length > 0;
}
