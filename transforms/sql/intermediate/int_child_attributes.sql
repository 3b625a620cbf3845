-- Per period and cohort child: the attributes used for populations and breakdowns, as at the
-- period's reference date D.
--   ncy: the roster override shifted by the years since it was ingested, else derived from the
--        date of birth: age on 31 August at the start of the academic year, minus 4 (age 4 ->
--        NCY 0 Reception, age 10 -> NCY 6, age 15 -> NCY 11). NULL when the date of birth is unknown.
--   key_stage: EYFS -2..0, KS1 1-2, KS2 3-6, KS3 7-9, KS4 10-11, Post-16 12-13.
--   school_age: NCY 0 to 11.
--   school_location: In area when the GIAS school's LA code is the home LA's old code.
--   placement_type: the PLACE of the 903 episode open at D, else the canonical CLA row's.
CREATE TABLE int_child_attributes AS
WITH kids AS (
    SELECT DISTINCT period_id, child_id FROM int_cohort_members
),
placement AS (
    SELECT period_id, child_id, arg_max(place, decom) AS placement_type
    FROM (
        SELECT p.period_id, e.child_id, e.place, e.decom
        FROM periods p
        JOIN stg_ssda903_episodes e
          ON e.decom <= p.ref_date AND (e.dec IS NULL OR e.dec > p.ref_date)
        WHERE coalesce(e.ls, '') NOT IN ('V3', 'V4') AND e.place IS NOT NULL
        UNION ALL
        -- canonical rows rank below any 903 episode open at D
        SELECT p.period_id, e.child_id, e.placement_type, DATE '0001-01-01'
        FROM periods p
        JOIN stg_cohort_episodes e
          ON e.start_date <= p.ref_date AND (e.end_date IS NULL OR e.end_date > p.ref_date)
        WHERE e.cohort = 'CLA' AND e.placement_type IS NOT NULL
    )
    GROUP BY period_id, child_id
),
base AS (
    SELECT k.period_id, k.child_id, p.year, r.sex, r.ethnicity, r.sen_provision, r.school_urn,
           r.upn, r.upn_status,
           CASE
               WHEN r.ncy IS NOT NULL AND r.ncy_year IS NOT NULL THEN r.ncy + (p.year - r.ncy_year)
               WHEN r.dob IS NOT NULL THEN
                   p.year - year(r.dob) - CASE WHEN month(r.dob) > 8 THEN 1 ELSE 0 END - 4
           END AS ncy,
           s.urn AS gias_urn, s.phase, s.la_code, s.ofsted_rating,
           pl.placement_type
    FROM kids k
    JOIN periods p USING (period_id)
    LEFT JOIN int_roster r USING (child_id)
    LEFT JOIN stg_schools s ON s.urn = r.school_urn
    LEFT JOIN placement pl ON pl.period_id = k.period_id AND pl.child_id = k.child_id
)
SELECT b.period_id, b.child_id, b.ncy,
       CASE
           WHEN b.ncy BETWEEN -2 AND 0 THEN 'EYFS'
           WHEN b.ncy BETWEEN 1 AND 2 THEN 'KS1'
           WHEN b.ncy BETWEEN 3 AND 6 THEN 'KS2'
           WHEN b.ncy BETWEEN 7 AND 9 THEN 'KS3'
           WHEN b.ncy BETWEEN 10 AND 11 THEN 'KS4'
           WHEN b.ncy BETWEEN 12 AND 13 THEN 'Post-16'
           ELSE 'Unknown'
       END AS key_stage,
       coalesce(b.ncy BETWEEN 0 AND 11, false) AS school_age,
       CASE b.sex WHEN 'M' THEN 'Male' WHEN 'F' THEN 'Female' ELSE 'Unknown' END AS sex,
       CASE
           WHEN b.ethnicity IN ('WBRI', 'WIRI', 'WIRT', 'WOTH', 'WROM') THEN 'White'
           WHEN b.ethnicity IN ('MWBC', 'MWBA', 'MWAS', 'MOTH') THEN 'Mixed'
           WHEN b.ethnicity IN ('AIND', 'APKN', 'ABAN', 'AOTH', 'CHNE') THEN 'Asian'
           WHEN b.ethnicity IN ('BCRB', 'BAFR', 'BOTH') THEN 'Black'
           WHEN b.ethnicity = 'OOTH' THEN 'Other'
           ELSE 'Unclassified'
       END AS ethnicity_major,
       CASE b.sen_provision
           WHEN 'E' THEN 'EHC plan' WHEN 'K' THEN 'SEN support' WHEN 'N' THEN 'No identified SEN'
           ELSE 'Unknown'
       END AS sen_provision,
       b.school_urn,
       coalesce(b.phase, 'Unknown') AS school_phase,
       CASE
           WHEN b.gias_urn IS NULL THEN 'Unknown'
           WHEN b.la_code = (SELECT home_old_code FROM settings) THEN 'In area'
           ELSE 'Out of area'
       END AS school_location,
       b.ofsted_rating,
       coalesce(b.placement_type, 'Unknown') AS placement_type,
       (b.upn IS NOT NULL AND b.upn_status IN ('valid', 'temporary')) AS has_valid_upn
FROM base b;
