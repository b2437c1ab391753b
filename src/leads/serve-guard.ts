import { loadModule, parseSync } from 'libpg-query';
import { displayText } from '../core/display.ts';

/**
 * What a `radar db serve` client may send in read-only mode, judged on the real PostgreSQL 17
 * parser's tree (libpg-query, the same grammar as PGlite): queries, EXPLAIN, SHOW, cursors,
 * prepared statements, transactions that stay read-only and a few harmless session settings.
 * The database is locked down on its own (radar_reader, no set_config, no plpgsql, a private
 * throwaway copy per client); this keeps a client from undoing that with a top-level
 * `RESET ROLE`, which PGlite's single superuser session would otherwise allow.
 */

let loaded: Promise<void> | undefined;

/** Loads the parser (WebAssembly) once; call before {@link refusalReason}. */
export function loadServeGuard(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

/** Settings a client may change: formatting, planning and its own timeouts. */
const SAFE_SETTINGS = new Set([
  'application_name',
  'extra_float_digits',
  'datestyle',
  'intervalstyle',
  'timezone',
  'search_path',
  'client_encoding',
  'client_min_messages',
  'statement_timeout',
  'lock_timeout',
  'bytea_output',
  'standard_conforming_strings',
  'lc_monetary',
  'lc_numeric',
  'lc_time',
  'work_mem',
  'jit',
  'transaction_isolation',
  'default_transaction_isolation',
  'plan_cache_mode',
  'max_parallel_workers_per_gather',
  'enable_seqscan',
  'enable_indexscan',
  'enable_bitmapscan',
  'enable_hashjoin',
  'enable_mergejoin',
  'enable_nestloop',
  'geqo',
  'random_page_cost',
  'join_collapse_limit',
  'from_collapse_limit',
  'cursor_tuple_fraction',
  'xmloption',
]);

const TRANSACTION_KINDS = new Set([
  'TRANS_STMT_BEGIN',
  'TRANS_STMT_START',
  'TRANS_STMT_COMMIT',
  'TRANS_STMT_ROLLBACK',
  'TRANS_STMT_SAVEPOINT',
  'TRANS_STMT_RELEASE',
  'TRANS_STMT_ROLLBACK_TO',
]);

type Node = Record<string, unknown>;

function keyOf(node: unknown): [string, Node] | null {
  if (!node || typeof node !== 'object') return null;
  const entries = Object.entries(node as Node);
  if (entries.length !== 1) return null;
  const [key, value] = entries[0]!;
  return [key, (value ?? {}) as Node];
}

/** True when a DefElem list asks for a read-write transaction (`READ WRITE` parses to transaction_read_only = 0). */
function asksReadWrite(options: unknown): boolean {
  if (!Array.isArray(options)) return false;
  return options.some((option) => {
    const def = (option as { DefElem?: { defname?: string; arg?: { A_Const?: { ival?: { ival?: number } } } } }).DefElem;
    if (def?.defname !== 'transaction_read_only') return false;
    return !def.arg?.A_Const?.ival?.ival;
  });
}

function judge(node: unknown): string | null {
  const entry = keyOf(node);
  if (!entry) return 'an unrecognised statement';
  const [kind, body] = entry;
  switch (kind) {
    case 'SelectStmt':
      return body.intoClause ? 'SELECT INTO (it creates a table)' : null;
    case 'ExplainStmt':
    case 'DeclareCursorStmt':
    case 'PrepareStmt':
      return judge(body.query);
    case 'VariableShowStmt':
    case 'FetchStmt':
    case 'ClosePortalStmt':
    case 'ExecuteStmt':
    case 'DeallocateStmt':
      return null;
    case 'TransactionStmt': {
      const txKind = String(body.kind);
      if (!TRANSACTION_KINDS.has(txKind)) return txKind.replace('TRANS_STMT_', '').replace(/_/g, ' ');
      return asksReadWrite(body.options) ? 'a READ WRITE transaction' : null;
    }
    case 'VariableSetStmt': {
      const setKind = String(body.kind);
      const name = displayText(body.name).toLowerCase();
      if (setKind === 'VAR_SET_MULTI') {
        if (name !== 'transaction' && name !== 'session characteristics') return `SET ${name}`;
        return asksReadWrite(body.args) ? 'a READ WRITE transaction' : null;
      }
      if (setKind === 'VAR_RESET_ALL') return 'RESET ALL';
      if (!SAFE_SETTINGS.has(name)) return `${setKind === 'VAR_RESET' ? 'RESET' : 'SET'} ${name}`;
      return null;
    }
    default:
      return kind.replace(/Stmt$/, '');
  }
}

/**
 * Why the SQL a client sent is refused, or null when every statement in it may run.
 * Unparseable text is refused too: PostgreSQL would reject it anyway, and it must not be judged
 * differently by two parsers.
 */
export function refusalReason(sql: string): string | null {
  let tree: { stmts?: { stmt?: unknown }[] };
  try {
    tree = parseSync(sql) as { stmts?: { stmt?: unknown }[] };
  } catch (error) {
    return `unparseable SQL (${(error as Error).message})`;
  }
  for (const statement of tree.stmts ?? []) {
    const reason = judge(statement.stmt);
    if (reason) return reason;
  }
  return null;
}
