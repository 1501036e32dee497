-- The WSUS catalog, format 2: what GetRevisionIdList reads, kept so that listing a product x classification of a
-- 500,000-revision store reads index ranges instead of every software revision (docs/benchmarks.md, "Metadata at
-- WSUS scale").

-- The categories of each update's latest stored revision, one row per category, written by the import
-- (WsusCatalogWrite) in the same transaction as the revision. A lower revision imported later changes nothing here.
CREATE TABLE wsus_latest_category (
    category_id      VARCHAR(36) NOT NULL,
    update_id        VARCHAR(36) NOT NULL,
    revision_number  INT NOT NULL,
    change_number    BIGINT NOT NULL,
    update_type      VARCHAR(16) NOT NULL,
    PRIMARY KEY (category_id, update_id),
    FOREIGN KEY (update_id, revision_number) REFERENCES wsus_update_revision (update_id, revision_number)
);
-- Covering: a listing reads the range of one category from this index alone, never the table's rows.
CREATE INDEX wsus_latest_category_listing
    ON wsus_latest_category (category_id, update_id, revision_number, change_number, update_type);
-- Replacing the latest revision of an update finds its rows by update.
CREATE INDEX wsus_latest_category_by_update ON wsus_latest_category (update_id);

-- Whether a revision is its update's latest, and the change number, from this index alone (also makes the fill
-- below a walk over index entries).
CREATE INDEX wsus_update_revision_latest ON wsus_update_revision (update_id, revision_number, change_number);

INSERT INTO wsus_latest_category (category_id, update_id, revision_number, change_number, update_type)
SELECT c.category_id, r.update_id, r.revision_number, r.change_number, r.update_type
FROM wsus_update_revision r
JOIN wsus_update_category c ON c.update_id = r.update_id AND c.revision_number = r.revision_number
WHERE NOT EXISTS (SELECT 1 FROM wsus_update_revision m
                  WHERE m.update_id = r.update_id AND m.revision_number > r.revision_number);

-- Covering: listing by update type and change number (GetConfig, unfiltered lists) without the revisions' rows.
CREATE INDEX wsus_update_revision_listing
    ON wsus_update_revision (update_type, change_number, update_id, revision_number);

