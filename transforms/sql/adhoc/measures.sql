-- Every measure row of the session's periods, one per period, cohort, breakdown cell and
-- measure, with the team edition's figures (no suppression): numerator and denominator exact
-- (denominator NULL for plain counts and money), value as measures.csv shows it (rates and
-- means to one decimal place, money in whole pounds; NULL when status is z, no denominator,
-- or x, no data for the period), comparator as in measures.csv.
CREATE TABLE measures (
    time_period VARCHAR, time_identifier VARCHAR, cohort VARCHAR, breakdown VARCHAR,
    breakdown_value VARCHAR, measure VARCHAR, kind VARCHAR, numerator DOUBLE, denominator DOUBLE,
    value DOUBLE, status VARCHAR, comparator VARCHAR, comparator_value DOUBLE
);
