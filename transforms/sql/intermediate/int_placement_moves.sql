-- Placement moves in care (docs/measures.md, Education stability): SSDA903 episodes with RNE P, T, B or U (a change
-- of placement) whose PLACE is not a temporary placement (T0-T4), dated by DECOM.
CREATE TABLE int_placement_moves AS
SELECT child_id, decom AS move_date
FROM stg_ssda903_episodes
WHERE rne IN ('P', 'T', 'B', 'U') AND coalesce(place, '') NOT IN ('T0', 'T1', 'T2', 'T3', 'T4');
