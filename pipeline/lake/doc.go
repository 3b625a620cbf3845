// Package lake writes and lists the Parquet lake that ingest fills and the transforms read.
//
// Layout: lake/<dataset>/academic_year=<YYYY-YY|all>/<batch_id>-<n>.parquet (zstd), with
// lake/_batches/<batch_id>.json as the commit record of each batch and lake/_quarantine/ for
// rows set aside. A batch's files are written under temporary names, synced, renamed, and only
// then is the manifest written: a batch is visible all at once or not at all. Files are 0600,
// folders 0700. A lock file stops two writers from working on one lake at the same time, and
// a batch whose source (dataset, SHA-256, sheet) was committed meanwhile is discarded at
// Commit (ErrAlreadyIngested): the same bytes are stored once.
//
// A lake is marked by lake/_vschool_lake.json (the lake format version). OpenReader opens a
// lake for reading and never writes, creates, locks or removes anything; a folder that is not
// a lake gives ErrNoLake. OpenWriter creates a lake only in a new or empty folder, adopts a
// lake of an earlier version (which has no marker) by writing the marker, and refuses any
// other folder (ErrNotALake). With the writer lock held, the files of interrupted batches
// are removed: only files named as vschool names a batch's files, in the folders it makes.
//
// A batch may also write a dataset derived from its rows (NewDerivedWriter): attendance_sessions
// batches write attendance_buckets beside them, and cin_census batches cin_census_episodes,
// committed and aborted with them. A committed batch stored before ingest wrote
// attendance_buckets is given them by Amend and CommitAmend (vschool migrate): the manifest
// is rewritten atomically with the new files; until then CheckMigrated fails with
// ErrNeedsMigrate.
//
// The package knows the row types of the eleven datasets and of the derived ones (see
// ARCHITECTURE.md); it does not parse or validate exports (package ingest and validate do)
// and it does not run queries.
package lake
