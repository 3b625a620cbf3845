-- measure: care_leaver_neet_rate
-- kind: rate
-- sources: care_leavers
-- definition: care leavers whose ACTIV is G4, G5 or G6 (not in education, employment or training) / OC3 rows of the collection year ending on the reference date (31 March), less IN_TOUCH DIED or RHOM x 100.
-- source: ssda903_oc3 (int_care_leaver_counts), for the collection year given at ingest.
-- grain: academic-year period x cohort Care leavers; breakdowns Total and Care leaver age (the age turned on the birthday in the collection year: 17 to 18 years, 19 to 21 years).
SELECT period_id, 'Care leavers' AS cohort, breakdown, band AS breakdown_value, 'care_leaver_neet_rate' AS measure,
       neet::DOUBLE AS numerator, leavers::DOUBLE AS denominator
FROM int_care_leaver_counts;
