/**
 * What the controller needs beyond the first schema: the whole applied state of a node as one document
 * (plans compare targets with it), the hostname each index stands for, and one row per revision the
 * controller picked up (`plinth status` reads the last attempted and last applied ones).
 */
export const controllerSchema = `
ALTER TABLE applied_state ADD COLUMN document TEXT;
ALTER TABLE hostname_indices ADD COLUMN hostname TEXT;

CREATE TABLE revisions (
  id          INTEGER PRIMARY KEY,
  revision    TEXT NOT NULL UNIQUE,
  phase       TEXT NOT NULL CHECK (phase IN ('picked-up', 'applying', 'applied', 'invalid')),
  summary     TEXT NOT NULL DEFAULT '{}',
  picked_at   TEXT NOT NULL,
  finished_at TEXT
) STRICT;
`;
