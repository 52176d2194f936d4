-- Depeche warehouse v1. Idempotent: every statement may run on every start.
CREATE TABLE IF NOT EXISTS runs (
    run_id            VARCHAR PRIMARY KEY,
    started_at        TIMESTAMP,
    finished_at       TIMESTAMP,
    status            VARCHAR,           -- running | completed | failed
    extractor_version VARCHAR,
    files_seen        INTEGER,
    files_skipped     INTEGER,           -- unchanged since an earlier run
    articles_read     INTEGER,
    articles_loaded   INTEGER,
    duplicates        INTEGER,
    non_french        INTEGER,
    rejects           INTEGER,
    organizations     INTEGER,
    amounts           INTEGER,
    dates             INTEGER,
    metrics           INTEGER,
    seconds_read      DOUBLE,
    seconds_extract   DOUBLE,
    seconds_load      DOUBLE
);

CREATE TABLE IF NOT EXISTS source_files (
    source_path       VARCHAR PRIMARY KEY,
    content_sha       VARCHAR NOT NULL,  -- skip a file whose bytes did not change
    extractor_version VARCHAR,
    run_id            VARCHAR,
    loaded_at         TIMESTAMP
);

CREATE TABLE IF NOT EXISTS articles (
    article_id        VARCHAR PRIMARY KEY,  -- stable hash of the cleaned content
    source_path       VARCHAR NOT NULL,
    record_id         VARCHAR,
    url               VARCHAR,
    title             VARCHAR,
    publisher         VARCHAR,
    agency            VARCHAR,
    author            VARCHAR,
    published_date    DATE,
    language          VARCHAR,
    format            VARCHAR,
    body              VARCHAR,
    body_hash         VARCHAR,              -- exact copies across files and runs share it
    minhash           UBIGINT[],            -- near copies: estimated Jaccard of two signatures
    duplicate_of      VARCHAR,              -- article_id of the copy that was extracted
    extractor_version VARCHAR,
    ingested_at       TIMESTAMP,
    run_id            VARCHAR
);

-- MinHash bands of extracted articles: near copies are found across batches and runs.
CREATE TABLE IF NOT EXISTS article_bands (
    article_id  VARCHAR NOT NULL,
    band        INTEGER NOT NULL,
    h           VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS organizations (
    org_id        VARCHAR PRIMARY KEY,      -- stable: gazetteer id or hash of the canonical name
    name          VARCHAR NOT NULL,
    acronym       VARCHAR,
    org_type      VARCHAR,
    in_gazetteer  BOOLEAN
);

CREATE TABLE IF NOT EXISTS org_aliases (
    org_id  VARCHAR NOT NULL,
    alias   VARCHAR NOT NULL,
    PRIMARY KEY (org_id, alias)
);

CREATE TABLE IF NOT EXISTS org_mentions (
    article_id  VARCHAR NOT NULL,
    org_id      VARCHAR NOT NULL,
    text        VARCHAR,
    in_title    BOOLEAN,
    start_char  INTEGER,
    end_char    INTEGER,
    sentence    VARCHAR
);

CREATE TABLE IF NOT EXISTS amounts (
    article_id   VARCHAR NOT NULL,
    text         VARCHAR,
    value        DOUBLE,
    value_max    DOUBLE,
    currency     VARCHAR,
    approximate  BOOLEAN,
    org_id       VARCHAR,
    in_title     BOOLEAN,
    start_char   INTEGER,
    end_char     INTEGER,
    sentence     VARCHAR
);

CREATE TABLE IF NOT EXISTS dates (
    article_id   VARCHAR NOT NULL,
    text         VARCHAR,
    value        VARCHAR,                  -- ISO at its own granularity: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn, YYYY-Wnn
    granularity  VARCHAR,
    start_date   DATE,
    end_date     DATE,
    relative     BOOLEAN,
    in_title     BOOLEAN,
    start_char   INTEGER,
    end_char     INTEGER,
    sentence     VARCHAR
);

CREATE TABLE IF NOT EXISTS metrics (
    article_id   VARCHAR NOT NULL,
    text         VARCHAR,
    value        DOUBLE,
    unit         VARCHAR,
    name         VARCHAR,
    approximate  BOOLEAN,
    in_title     BOOLEAN,
    start_char   INTEGER,
    end_char     INTEGER,
    sentence     VARCHAR
);

CREATE TABLE IF NOT EXISTS rejects (
    run_id       VARCHAR,
    source_path  VARCHAR,
    reason       VARCHAR,
    detail       VARCHAR,
    rejected_at  TIMESTAMP
);

-- The DDL (schemas.sql.ddl_sha) this file was last brought up to date with.
CREATE TABLE IF NOT EXISTS schema_version (
    ddl_sha      VARCHAR,
    applied_at   TIMESTAMP
);
