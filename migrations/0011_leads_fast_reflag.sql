-- `radar score --all` re-flags every live lead on every run. Most re-flags change nothing but
-- last_flagged_at, so upsertLeads compares a stored hash of the reasons instead of re-sending them,
-- and only bumps last_flagged_at for unchanged leads.
ALTER TABLE leads ADD COLUMN IF NOT EXISTS reasons_hash text;

-- An index on last_flagged_at forces a new entry in every index of `leads` for each re-flag (no HOT
-- update). It buys little: every run moves every live lead's last_flagged_at to "now", so a
-- "flagged since X" range matches nearly all leads and the planner scans anyway. The weekly export
-- bounds first_flagged_at (leads_first_flagged_idx stays); `radar leads list --province` filters on the
-- shop's province first, and province_code alone still serves per-province recipes.
DROP INDEX IF EXISTS leads_last_flagged_idx;
DROP INDEX IF EXISTS leads_province_idx;
CREATE INDEX IF NOT EXISTS leads_province_code_idx ON leads (province_code);

-- Leave room on each page so the re-flag's new row version fits beside the old one (HOT).
ALTER TABLE leads SET (fillfactor = 85);
