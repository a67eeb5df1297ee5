import type { Revision } from './revision.js';

/** What a sync produced: the revision now checked out and the directory holding its file tree. */
export interface SyncResult {
  revision: Revision;
  treePath: string;
  /** False when the head had not moved and nothing was fetched. */
  changed: boolean;
}

/**
 * Where desired state comes from. `checkHead` is cheap (one remote round trip, no objects);
 * `sync` brings the tracked branch into a directory the controller owns.
 */
export interface Source {
  checkHead(): Promise<Revision | undefined>;
  sync(): Promise<SyncResult>;
}
