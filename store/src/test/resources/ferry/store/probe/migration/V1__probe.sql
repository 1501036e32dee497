-- The probe source type's tables (tests only): items, each referencing one object of the store, with tags.
-- Item rows are written before tag rows, so a failing tag insert fails an import after its first rows.
CREATE TABLE probe_item (
    item_id        VARCHAR(100) PRIMARY KEY,
    object_sha256  CHAR(64) NOT NULL,
    size           BIGINT NOT NULL CHECK (size >= 0),
    name           VARCHAR(200) NOT NULL,
    bundle_id      VARCHAR(200) NOT NULL REFERENCES bundle (bundle_id)
);
CREATE INDEX probe_item_by_object ON probe_item (object_sha256);

CREATE TABLE probe_tag (
    item_id  VARCHAR(100) NOT NULL REFERENCES probe_item (item_id),
    tag      VARCHAR(100) NOT NULL,
    PRIMARY KEY (item_id, tag)
);
