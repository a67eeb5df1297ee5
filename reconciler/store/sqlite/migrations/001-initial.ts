/**
 * The first schema. Timestamps are ISO 8601 text (UTC); JSON columns hold documents the store never
 * queries inside. Identity facts used by conflict rules are columns (and `node_macs` rows) so they are
 * indexed and, for MACs, unique across nodes.
 */
export const initialSchema = `
CREATE TABLE nodes (
  id              TEXT PRIMARY KEY,
  identity_source TEXT NOT NULL,
  serial          TEXT,
  system_uuid     TEXT,
  bmc_address     TEXT,
  bmc_mac         TEXT,
  state           TEXT NOT NULL,
  status          TEXT,
  error_type      TEXT,
  error_message   TEXT,
  error_count     INTEGER NOT NULL DEFAULT 0,
  step_timestamps TEXT NOT NULL DEFAULT '{}',
  first_seen      TEXT NOT NULL,
  last_seen       TEXT NOT NULL
) STRICT;
CREATE INDEX nodes_serial ON nodes (serial);
CREATE INDEX nodes_bmc_mac ON nodes (bmc_mac);

-- A MAC belongs to at most one node: the primary key makes a hijack impossible even if a rule is missed.
CREATE TABLE node_macs (
  mac     TEXT PRIMARY KEY,
  node_id TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX node_macs_node ON node_macs (node_id);

-- node_id is NULL for a report that was refused as a conflict: it is kept for the operator.
CREATE TABLE reports (
  id             INTEGER PRIMARY KEY,
  node_id        TEXT REFERENCES nodes (id),
  received_at    TEXT NOT NULL,
  source_address TEXT,
  raw_gzip       BLOB NOT NULL,
  raw_sha256     TEXT NOT NULL,
  raw_bytes      INTEGER NOT NULL,
  inventory      TEXT NOT NULL
) STRICT;
CREATE INDEX reports_node ON reports (node_id, id);

CREATE TABLE node_events (
  id          INTEGER PRIMARY KEY,
  node_id     TEXT NOT NULL REFERENCES nodes (id),
  report_id   INTEGER NOT NULL REFERENCES reports (id),
  kind        TEXT NOT NULL CHECK (kind IN ('memory', 'disks', 'nics', 'cpus')),
  summary     TEXT NOT NULL,
  before      TEXT NOT NULL,
  after       TEXT NOT NULL,
  detected_at TEXT NOT NULL
) STRICT;
CREATE INDEX node_events_node ON node_events (node_id, id);

CREATE TABLE conflicts (
  id          INTEGER PRIMARY KEY,
  report_id   INTEGER NOT NULL REFERENCES reports (id),
  claim       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  message     TEXT NOT NULL,
  node_ids    TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  detected_at TEXT NOT NULL
) STRICT;

-- Released rows stay as history; only live allocations must be unique, so a released address can return.
CREATE TABLE ip_allocations (
  id           INTEGER PRIMARY KEY,
  network      TEXT NOT NULL,
  address      TEXT NOT NULL,
  node_id      TEXT NOT NULL REFERENCES nodes (id),
  allocated_at TEXT NOT NULL,
  released_at  TEXT
) STRICT;
CREATE UNIQUE INDEX ip_allocations_live ON ip_allocations (network, address) WHERE released_at IS NULL;
CREATE INDEX ip_allocations_node ON ip_allocations (node_id);

-- Rows are never deleted, so MAX(idx) + 1 never hands out an index twice.
CREATE TABLE hostname_indices (
  role         TEXT NOT NULL,
  idx          INTEGER NOT NULL,
  node_id      TEXT NOT NULL REFERENCES nodes (id),
  allocated_at TEXT NOT NULL,
  PRIMARY KEY (role, idx)
) STRICT;
CREATE UNIQUE INDEX hostname_indices_node ON hostname_indices (role, node_id);

CREATE TABLE action_journal (
  id          INTEGER PRIMARY KEY,
  revision    TEXT NOT NULL,
  node_id     TEXT REFERENCES nodes (id),
  action      TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('planned', 'started', 'succeeded', 'failed', 'interrupted')),
  planned_at  TEXT NOT NULL,
  started_at  TEXT,
  finished_at TEXT,
  detail      TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX action_journal_revision ON action_journal (revision, id);
CREATE INDEX action_journal_node ON action_journal (node_id, id);

CREATE TABLE applied_state (
  node_id       TEXT PRIMARY KEY REFERENCES nodes (id),
  enc_digest    TEXT,
  dhcp_entry    TEXT,
  boot_device   TEXT,
  power         TEXT,
  image         TEXT,
  puppet_result TEXT,
  updated_at    TEXT NOT NULL
) STRICT;
`;
