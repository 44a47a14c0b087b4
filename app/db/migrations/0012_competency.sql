-- Competency tracking (exams/competency): how mastery is figured per org unit. A unit
-- without a row takes its nearest ancestor's; the root falls back to the defaults
-- (most recent result, half-life 180 days, gap below 60, strong from 85).
-- method: 'latest' (the most recent result per branch) or 'decay' (results weighted by
-- 0.5^(age in days / half_life_days)).
CREATE TABLE competency_settings (
    org_id BIGINT PRIMARY KEY REFERENCES org_units (id),
    method TEXT NOT NULL,
    half_life_days INTEGER NOT NULL,
    gap_below INTEGER NOT NULL,
    strong_from INTEGER NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    updated_at {{TS}} NOT NULL
);
