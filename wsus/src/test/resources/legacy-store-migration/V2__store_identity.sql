-- ferry store catalog, format 2: the store's identity.

-- The same id is in the store directory's marker file (store.id): a catalog that is missing, empty, or
-- another store's is recognised instead of silently becoming a new store.
ALTER TABLE store_info ADD COLUMN store_id VARCHAR(36);
UPDATE store_info SET store_id = CAST(RANDOM_UUID() AS VARCHAR(36)), format_version = 2;
ALTER TABLE store_info ALTER COLUMN store_id SET NOT NULL;

-- Cleaning up after an import asks whether any revision still references an object.
CREATE INDEX wsus_update_revision_by_metadata ON wsus_update_revision (metadata_sha256);
