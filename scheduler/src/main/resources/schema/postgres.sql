-- Journal, tag and snapshot tables of akka-persistence-jdbc 5.x (default table and column names),
-- for a PostgreSQL journal shared by several scheduler JVMs. Idempotent: applied at every scheduler
-- start (JournalSchema runs it in one transaction under an advisory lock). Tables are created in the
-- connection's current schema: choose another than public with ?currentSchema=<name> in the JDBC URL.

CREATE TABLE IF NOT EXISTS event_journal (
  ordering BIGSERIAL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL,
  writer VARCHAR(255) NOT NULL,
  write_timestamp BIGINT,
  adapter_manifest VARCHAR(255),
  event_ser_id INTEGER NOT NULL,
  event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BYTEA NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,
  CONSTRAINT event_journal_pk PRIMARY KEY (persistence_id, sequence_number),
  CONSTRAINT event_journal_ordering_uq UNIQUE (ordering)
);

CREATE TABLE IF NOT EXISTS event_tag (
  event_id BIGINT NOT NULL,
  tag VARCHAR(256) NOT NULL,
  CONSTRAINT event_tag_pk PRIMARY KEY (event_id, tag),
  CONSTRAINT event_tag_event_fk FOREIGN KEY (event_id)
    REFERENCES event_journal (ordering) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS snapshot (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,
  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest VARCHAR(255) NOT NULL,
  snapshot_payload BYTEA NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,
  CONSTRAINT snapshot_pk PRIMARY KEY (persistence_id, sequence_number)
);
