-- Care leavers (docs/measures.md), per academic-year period: the OC3 rows of the collection year
-- ending on its reference date (31 March inside the year), counted for the Total and per age
-- band (breakdown "Care leaver age"). The age is the one the care leaver turned on their
-- birthday in the collection year (1 April to 31 March: a birthday from 1 April falls in the
-- earlier calendar year): 17-18 -> "17 to 18 years", 19-21 -> "19 to 21 years"; ingest refuses
-- other ages, and a row of another age would count nowhere. Rows with IN_TOUCH DIED or RHOM
-- are left out of every count (denominator and numerators). The numerators may overlap (an
-- IN_TOUCH of NO with an activity code counts as not known and by its activity).
--   eet        ACTIV beginning F or P (education, training, employment, apprenticeship;
--              the withdrawn F3/P3 too);
--   neet       ACTIV G4, G5 or G6;
--   not_known  IN_TOUCH NO, REFU or NREQ, or ACTIV 0 or blank;
--   in_touch   IN_TOUCH YES.
-- Every academic-year period has a Total row and a row per band, 0 when there is no row.
CREATE TABLE int_care_leaver_counts AS
WITH leavers AS (
    SELECT p.period_id, o.in_touch, o.activ,
           CASE
               WHEN age BETWEEN 17 AND 18 THEN '17 to 18 years'
               WHEN age BETWEEN 19 AND 21 THEN '19 to 21 years'
           END AS band
    FROM periods p
    JOIN (SELECT child_id, collection_year, in_touch, activ,
                 CASE WHEN month(dob) >= 4 THEN collection_year - 1 - year(dob) ELSE collection_year - year(dob) END AS age
          FROM stg_ssda903_oc3) o
      ON o.collection_year = year(p.ref_date)
    WHERE NOT p.is_term AND NOT p.is_ytd AND o.in_touch NOT IN ('DIED', 'RHOM')
),
cells AS (
    SELECT p.period_id, b.breakdown, b.band
    FROM periods p
    CROSS JOIN (VALUES ('Total', 'Total'), ('Care leaver age', '17 to 18 years'), ('Care leaver age', '19 to 21 years')) AS b(breakdown, band)
    WHERE NOT p.is_term AND NOT p.is_ytd
)
SELECT c.period_id, c.breakdown, c.band,
       count(l.band) AS leavers,
       count(l.band) FILTER (WHERE left(l.activ, 1) IN ('F', 'P')) AS eet,
       count(l.band) FILTER (WHERE l.activ IN ('G4', 'G5', 'G6')) AS neet,
       count(l.band) FILTER (WHERE l.in_touch IN ('NO', 'REFU', 'NREQ') OR l.activ = '0' OR l.activ IS NULL) AS not_known,
       count(l.band) FILTER (WHERE l.in_touch = 'YES') AS in_touch
FROM cells c
LEFT JOIN leavers l ON l.period_id = c.period_id AND (c.breakdown = 'Total' OR l.band = c.band)
GROUP BY c.period_id, c.breakdown, c.band;
