-- ferry store catalog, format 2: the store's identity and the import journal.

-- The same id is in the store directory's marker file (store.id): a catalog that is missing, empty, or
-- another store's is recognised instead of silently becoming a new store.
ALTER TABLE store_info ADD COLUMN store_id VARCHAR(36);
UPDATE store_info SET store_id = CAST(RANDOM_UUID() AS VARCHAR(36)), format_version = 2;
ALTER TABLE store_info ALTER COLUMN store_id SET NOT NULL;

-- An import that has begun and not yet finished (committed and cleaned up, or aborted).
CREATE TABLE import_journal (
    import_id   VARCHAR(36) PRIMARY KEY,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Objects an unfinished import wrote (recorded before the object is written). These are the only objects
-- ferry ever deletes, and only when no catalog row references them and no running import uses them.
CREATE TABLE import_journal_object (
    import_id  VARCHAR(36) NOT NULL REFERENCES import_journal (import_id),
    sha256     CHAR(64) NOT NULL,
    PRIMARY KEY (import_id, sha256)
);

-- Clean-up asks whether any revision still references an object.
CREATE INDEX wsus_update_revision_by_metadata ON wsus_update_revision (metadata_sha256);
