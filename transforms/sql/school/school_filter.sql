-- The school a run is restricted to (Request.School; at most one row, none for the whole
-- virtual school), and the children on its roll in each period (from int_school_roll). The
-- cohorts (int_cohort_members) keep only those children when a school is given.
CREATE TABLE school_filter (urn VARCHAR);
-- The children on the roll of the school of school_filter in each period (empty without one).
CREATE TABLE cohort_roll (period_id INTEGER, child_id VARCHAR);
