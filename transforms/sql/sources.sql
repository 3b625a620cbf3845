-- Source schema: one table per lake dataset, with exactly the columns of the lake contract
-- (ARCHITECTURE.md). The runner creates these tables first and fills each from the dataset's
-- committed Parquet files; a dataset with no files stays an empty table with these columns.
-- Every table carries batch_id, source_line and ingested_at from ingest and academic_year from
-- the Hive partition path (VARCHAR: 'YYYY-YY' or 'all').

CREATE TABLE src_ssda903_header (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, sex VARCHAR, dob DATE, ethnicity VARCHAR, upn VARCHAR, upn_status VARCHAR
);

CREATE TABLE src_ssda903_episodes (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, decom DATE, rne VARCHAR, ls VARCHAR, cin VARCHAR, place VARCHAR,
    place_provider VARCHAR, dec DATE, rec VARCHAR, reason_place_change VARCHAR,
    pl_post_outward VARCHAR, urn VARCHAR
);

CREATE TABLE src_children (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, upn VARCHAR, upn_status VARCHAR, dob DATE, sex VARCHAR, ethnicity VARCHAR,
    sen_provision VARCHAR, school_urn VARCHAR, ncy SMALLINT
);

CREATE TABLE src_cohort_episodes (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, cohort VARCHAR, start_date DATE, end_date DATE, legal_status VARCHAR,
    placement_type VARCHAR, placement_la VARCHAR, plac_route VARCHAR
);

-- The DfE CIN census files (XML): per file, one row per child with the roster fields the
-- census gives, and (cin_census_episodes, derived in the same batch) the child's CIN and CPP
-- memberships. census_year is the collection year: 2025 is the year ending 31 March 2025.
CREATE TABLE src_cin_census (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, census_year SMALLINT, reference_date DATE, upn VARCHAR, upn_status VARCHAR,
    dob DATE, sex VARCHAR, ethnicity VARCHAR
);

CREATE TABLE src_cin_census_episodes (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, census_year SMALLINT, cohort VARCHAR, start_date DATE, end_date DATE
);

CREATE TABLE src_schools (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    urn VARCHAR, name VARCHAR, la_code VARCHAR, la_name VARCHAR, establishment_type VARCHAR,
    phase VARCHAR, ofsted_rating VARCHAR
);

CREATE TABLE src_attendance_sessions (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, school_urn VARCHAR, date DATE, session VARCHAR, code VARCHAR,
    source_code VARCHAR
);

-- Written by ingest beside each attendance_sessions batch: per batch, child, school, 32-day
-- bucket from 2000-01-01 and code, the slots used (bit day * 2 + 1 for PM) and the number
-- of marks (int_attendance_segments).
CREATE TABLE src_attendance_buckets (
    batch_id VARCHAR, academic_year VARCHAR,
    child_id VARCHAR, school_urn VARCHAR, bucket INTEGER, code VARCHAR, mask UBIGINT, marks INTEGER
);

CREATE TABLE src_attendance_summary (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, school_urn VARCHAR, period_start DATE, period_end DATE,
    sessions_possible BIGINT, sessions_present BIGINT, sessions_authorised BIGINT,
    sessions_unauthorised BIGINT
);

CREATE TABLE src_exclusions (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, school_urn VARCHAR, start_date DATE, category VARCHAR, sessions BIGINT,
    reason VARCHAR
);

CREATE TABLE src_attainment (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, term VARCHAR, assessment VARCHAR, subject VARCHAR, result VARCHAR,
    result_score DOUBLE
);

CREATE TABLE src_peps (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    pep_id VARCHAR, child_id VARCHAR, term VARCHAR, meeting_date DATE, status VARCHAR,
    completed_date DATE, initial BOOLEAN, quality VARCHAR, child_voice BOOLEAN,
    targets_count BIGINT, pp_plus_approved_pence BIGINT, pp_plus_requested_pence BIGINT
);

-- Added in v2: where each child is educated (hours_per_week DOUBLE, NULL when not given), and
-- the SSDA903 OC3 care leavers rows of each collection year (the year ending 31 March
-- collection_year).
CREATE TABLE src_education_placements (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, setting_urn VARCHAR, provision VARCHAR, start_date DATE, end_date DATE,
    hours_per_week DOUBLE, leaving_reason VARCHAR
);

CREATE TABLE src_ssda903_oc3 (
    batch_id VARCHAR, source_line BIGINT, ingested_at TIMESTAMP, academic_year VARCHAR,
    child_id VARCHAR, collection_year SMALLINT, dob DATE, in_touch VARCHAR, activ VARCHAR
);

-- Rows refused at ingest: one row per problem in the quarantine CSV files of committed batches
-- (Request.Quarantine), with the dataset the batch belongs to. A refused row with several
-- problems has several entries with the same batch_id, file and line. No identifiers.
CREATE TABLE src_quarantine (
    dataset VARCHAR, batch_id VARCHAR, file VARCHAR, line BIGINT, rule VARCHAR
);

-- The order of the versions of a record: the latest batch_id, then the latest source_line, a
-- NULL last (as ORDER BY batch_id DESC, source_line DESC sorts them). The staging models keep
-- the version with the greatest key. One key rather than two sort columns, because DuckDB
-- plans "row_number() OVER (PARTITION BY k ORDER BY <one key> DESC) = 1" as an arg_max
-- aggregate instead of a window, which costs much less (inside a STRUCT a NULL sorts above
-- every value, hence the IS NOT NULL fields before each).
CREATE MACRO version_key(batch, line) AS (batch IS NOT NULL, batch, line IS NOT NULL, line);
-- child_key(child_id): the 64-bit integer the breakdown cells (int_cells) and the per-child
-- models are joined on, cheaper to store and join than the child_id text; NULL for a NULL id.
-- int_child_key_check stops the run if two child IDs of the lake ever shared a key.
CREATE MACRO child_key(id) AS CASE WHEN id IS NOT NULL THEN hash(id) END;
