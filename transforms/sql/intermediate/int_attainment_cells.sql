-- Per academic-year breakdown cell, the counts the attainment measures read (one pass over
-- the cells instead of one per measure). The NCY and key stage breakdowns are left out (each
-- measure is for one year group), and each count is over the cell's members in the
-- assessment's year group: EYFS NCY 0, phonics NCY 1, KS2 NCY 6, KS4 NCY 11.
-- scaffold: the cell holds its scaffold row (the cohort's Total, there even when empty). A
-- measure has a row for a cell when the cell has its scaffold row or a member in the year
-- group (in_ncy0 ... in_ncy11 > 0).
-- a8_sum adds Attainment 8 scores as DECIMAL(18, 6): exact, so it does not depend on the
-- order DuckDB's threads add them up. Counts add up 0/1 INTEGERs (cheaper than FILTERed
-- counts); a scaffold row's ncy is NULL, so it counts in none.
CREATE TABLE int_attainment_cells AS
SELECT c.period_id, c.cell_id,
       bool_or(c.child_key IS NULL) AS scaffold,
       coalesce(sum((c.ncy = 0)::INTEGER), 0)::BIGINT AS in_ncy0,
       coalesce(sum((c.ncy = 0 AND t.eyfs_gld)::INTEGER), 0)::BIGINT AS eyfs_gld,
       coalesce(sum((c.ncy = 0 AND t.has_eyfs)::INTEGER), 0)::BIGINT AS has_eyfs,
       coalesce(sum((c.ncy = 1)::INTEGER), 0)::BIGINT AS in_ncy1,
       coalesce(sum((c.ncy = 1 AND t.phonics_y1_met)::INTEGER), 0)::BIGINT AS phonics_y1_met,
       coalesce(sum((c.ncy = 1 AND t.has_phonics)::INTEGER), 0)::BIGINT AS has_phonics,
       coalesce(sum((c.ncy = 6)::INTEGER), 0)::BIGINT AS in_ncy6,
       coalesce(sum((c.ncy = 6 AND t.has_ks2)::INTEGER), 0)::BIGINT AS has_ks2,
       coalesce(sum((c.ncy = 6 AND t.ks2_reading_exp AND t.ks2_maths_exp AND t.ks2_writing_exp)::INTEGER), 0)::BIGINT AS ks2_rwm_exp,
       coalesce(sum((c.ncy = 6 AND t.ks2_reading_high AND t.ks2_maths_high AND t.ks2_writing_high)::INTEGER), 0)::BIGINT AS ks2_rwm_high,
       coalesce(sum((c.ncy = 6 AND t.ks2_reading_exp)::INTEGER), 0)::BIGINT AS ks2_reading_exp,
       coalesce(sum((c.ncy = 6 AND t.has_ks2_reading)::INTEGER), 0)::BIGINT AS has_ks2_reading,
       coalesce(sum((c.ncy = 6 AND t.ks2_writing_exp)::INTEGER), 0)::BIGINT AS ks2_writing_exp,
       coalesce(sum((c.ncy = 6 AND t.has_ks2_writing)::INTEGER), 0)::BIGINT AS has_ks2_writing,
       coalesce(sum((c.ncy = 6 AND t.ks2_maths_exp)::INTEGER), 0)::BIGINT AS ks2_maths_exp,
       coalesce(sum((c.ncy = 6 AND t.has_ks2_maths)::INTEGER), 0)::BIGINT AS has_ks2_maths,
       coalesce(sum((c.ncy = 11)::INTEGER), 0)::BIGINT AS in_ncy11,
       coalesce(sum((c.ncy = 11 AND t.has_ks4)::INTEGER), 0)::BIGINT AS has_ks4,
       coalesce(sum(CAST(t.attainment8 AS DECIMAL(18, 6))) FILTER (WHERE c.ncy = 11), 0) AS a8_sum,
       coalesce(sum((c.ncy = 11 AND t.attainment8 IS NOT NULL)::INTEGER), 0)::BIGINT AS a8_scores,
       coalesce(sum((c.ncy = 11 AND t.ks4_english >= 4 AND t.ks4_maths >= 4)::INTEGER), 0)::BIGINT AS ks4_engmaths_4plus,
       coalesce(sum((c.ncy = 11 AND t.ks4_english >= 5 AND t.ks4_maths >= 5)::INTEGER), 0)::BIGINT AS ks4_engmaths_5plus
FROM int_year_cells c
JOIN periods p ON p.period_id = c.period_id
LEFT JOIN int_attainment_child t ON t.period_id = c.period_id AND t.child_key = c.child_key
WHERE NOT p.is_term AND NOT p.is_ytd
  AND c.breakdown NOT IN ('NCY', 'Key stage')
  -- members in no assessed year group count nowhere (and a cell with only them has no row in
  -- any attainment measure)
  AND (c.child_key IS NULL OR c.ncy IN (0, 1, 6, 11))
GROUP BY c.period_id, c.cell_id;
