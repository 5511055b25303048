-- A paused source expects no sync: its next one is cleared while it is
-- paused and set again from the moment it resumes (fcgi/app/sources.c).
-- Sources paused before this rule keep a next sync in the past; clear it.
UPDATE sources SET next_sync_at = NULL WHERE paused_at IS NOT NULL;
