-- The APT source's tables (docs/store.md, "APT tables"). SHA-256 is 64 lower-case hex digits; times are UTC.

-- Every .deb the store holds, kept for good: a later delta bundle names it without carrying it again.
CREATE TABLE apt_package (
    sha256        CHAR(64) PRIMARY KEY,
    package       VARCHAR(200) NOT NULL,
    version       VARCHAR(200) NOT NULL,
    architecture  VARCHAR(64) NOT NULL,
    size          BIGINT NOT NULL CHECK (size >= 0),
    bundle_id     VARCHAR(200) NOT NULL
);

-- A published snapshot of a channel's repository: numbered 1, 2, ... per channel; the last few are kept. A rollback
-- publishes the content of an older one again (content_of: its number), signed afresh with a new Date, since apt
-- keeps a Release newer than the one offered.
CREATE TABLE apt_snapshot (
    channel       VARCHAR(200) NOT NULL,
    number        BIGINT NOT NULL CHECK (number >= 1),
    bundle_id     VARCHAR(200) NOT NULL,
    published_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    content_of    BIGINT,
    PRIMARY KEY (channel, number)
);

-- The files below dists/ of a snapshot (Release, InRelease, Release.gpg, Packages in three forms), signed when it
-- was published; path is below dists/, e.g. stable/main/binary-amd64/Packages.xz.
CREATE TABLE apt_snapshot_file (
    channel       VARCHAR(200) NOT NULL,
    number        BIGINT NOT NULL,
    path          VARCHAR(1100) NOT NULL,
    sha256        CHAR(64) NOT NULL,
    size          BIGINT NOT NULL,
    content       BLOB NOT NULL,
    PRIMARY KEY (channel, number, path),
    FOREIGN KEY (channel, number) REFERENCES apt_snapshot (channel, number) ON DELETE CASCADE
);
CREATE INDEX apt_snapshot_file_by_hash ON apt_snapshot_file (channel, sha256);

-- The pool of a snapshot: each Filename its Packages indexes name, and the .deb object it is.
CREATE TABLE apt_snapshot_pool (
    channel       VARCHAR(200) NOT NULL,
    number        BIGINT NOT NULL,
    filename      VARCHAR(1100) NOT NULL,
    sha256        CHAR(64) NOT NULL REFERENCES apt_package (sha256),
    PRIMARY KEY (channel, number, filename),
    FOREIGN KEY (channel, number) REFERENCES apt_snapshot (channel, number) ON DELETE CASCADE
);
CREATE INDEX apt_snapshot_pool_by_filename ON apt_snapshot_pool (channel, filename);

-- The snapshot each channel serves: switched in one update (an import, or `ferry apt rollback`).
CREATE TABLE apt_current (
    channel       VARCHAR(200) PRIMARY KEY,
    number        BIGINT NOT NULL,
    FOREIGN KEY (channel, number) REFERENCES apt_snapshot (channel, number)
);
