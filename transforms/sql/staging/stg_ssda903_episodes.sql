-- SSDA903 episodes: the current version of each (child, DECOM).
CREATE TABLE stg_ssda903_episodes AS
SELECT child_id, decom, rne, ls, cin, place, place_provider, dec, rec, reason_place_change, urn
FROM src_ssda903_episodes
QUALIFY row_number() OVER (PARTITION BY child_id, decom ORDER BY version_key(batch_id, source_line) DESC) = 1;
