-- ferry store catalog, format 1.
-- Identifiers: update and category ids are lower-case GUID text; SHA-1 is 40 upper-case hex digits (as in
-- /Content/ URLs); SHA-256 is 64 lower-case hex digits (as in object names). Times are UTC.

CREATE TABLE store_info (
    singleton      BOOLEAN DEFAULT TRUE PRIMARY KEY CHECK (singleton),
    format_version INT NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO store_info (format_version, created_at) VALUES (1, CURRENT_TIMESTAMP);

CREATE TABLE bundle (
    bundle_id            VARCHAR(200) PRIMARY KEY,
    channel              VARCHAR(200) NOT NULL,
    sequence_number      BIGINT NOT NULL CHECK (sequence_number >= 1),
    base_sequence        BIGINT CHECK (base_sequence IS NULL OR base_sequence < sequence_number),
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    imported_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    manifest_sha256      CHAR(64) NOT NULL,
    producer             VARCHAR(1000),
    revision_count       INT NOT NULL,
    new_revision_count   INT NOT NULL,
    file_count           INT NOT NULL,
    new_file_count       INT NOT NULL,
    CONSTRAINT bundle_channel_sequence UNIQUE (channel, sequence_number)
);

CREATE TABLE bundle_signer (
    bundle_id    VARCHAR(200) NOT NULL REFERENCES bundle (bundle_id),
    position     INT NOT NULL,
    fingerprint  VARCHAR(200) NOT NULL,
    PRIMARY KEY (bundle_id, position)
);

CREATE TABLE channel (
    name            VARCHAR(200) PRIMARY KEY,
    last_sequence   BIGINT NOT NULL,
    last_bundle_id  VARCHAR(200) NOT NULL REFERENCES bundle (bundle_id)
);

-- Source types (WSUS, APT) keep their own tables, named <source>_*, with their own migrations and Flyway history
-- (<source>_schema_history). Before that split this file also created the WSUS tables; Catalog adopts stores
-- made then (docs/store.md, "Catalog migrations").
