-- Every school day of the academic years around the session's periods: Monday to Friday,
-- not an England bank holiday, not in August, inside a term of the configured calendar (with
-- the DfE default terms, which have no holidays between them, only weekends, bank holidays
-- and August are left out). academic_year and term name the term the day is in.
CREATE TABLE school_days (date DATE, academic_year VARCHAR, term VARCHAR);
