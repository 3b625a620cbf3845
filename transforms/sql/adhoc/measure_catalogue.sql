-- One row per measure of the catalogue, from the header of its SQL file: its kind (rate,
-- count, mean, money), definition, source and grain.
CREATE TABLE measure_catalogue (measure VARCHAR, kind VARCHAR, definition VARCHAR, source VARCHAR, grain VARCHAR);
