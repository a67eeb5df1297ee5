export { buildDesiredStatus } from './desired-status.js';
export { GitNotesWriter, type GitNotesWriterOptions, type NoteWriteResult } from './git-notes-writer.js';
export { STATUS_DRIVERS, statusContext, type ForgeKind } from './forges/index.js';
export type { CommitState, CommitStatusDriver, DesiredStatus, EnsureResult, ForgeDriverConfig } from './forges/types.js';
export { StatusReporter, type StatusReporterOptions } from './status-reporter.js';
export {
  decideSummaryState,
  renderStatusDescription,
  renderSummaryNote,
  type ActionNote,
  type ActionOutcome,
  type RevisionSummary,
  type SummaryState,
} from './summary.js';
