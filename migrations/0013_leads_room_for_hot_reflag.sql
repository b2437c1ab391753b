-- Every `radar score --all` re-flags every live lead: an UPDATE of last_flagged_at alone (0011 took the
-- indexes off it so the update can be HOT). A lead row is ~1.5-1.7 KB (reasons JSON, top reasons), so
-- at fillfactor 85 a page keeps ~1.2 KB free and the new row version does not fit: each re-flag became
-- a non-HOT update, a new entry in all nine indexes of `leads` (EXPLAIN ANALYZE: ~100 us per lead on
-- the shared 2-core machine; 720,000 leads per run at 1M listings). With half of each page left free,
-- every row on a page has room for its next version (a 20,000-row test: 100% HOT on the first and the
-- second update; the second prunes the first's dead versions). The space is what non-HOT re-flags
-- cost anyway in dead rows and index bloat. Applies to pages written from now on; an existing
-- database gets it with `VACUUM FULL leads` (locks the table while it rewrites it).
ALTER TABLE leads SET (fillfactor = 50);
