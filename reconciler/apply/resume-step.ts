import type { JournalEntry } from '../store/types.js';

/** What to do with a step, given what the journal says about it for this revision. */
export type StepResumption =
  | { kind: 'done' }
  | { kind: 'run'; plannedId?: number; abandonId?: number }
  | { kind: 'interrupted'; abandonId?: number };

/**
 * Decides a step's fate from its journal entries (oldest first) after a restart: a finished step is not
 * repeated; one written but never started simply runs; one started and never finished is run again only
 * when it converges (`idempotent`), otherwise it is reported interrupted and the action stops there.
 */
export function resumeStep(entries: readonly JournalEntry[], idempotent: boolean): StepResumption {
  const last = entries.at(-1);
  if (!last) return { kind: 'run' };
  switch (last.state) {
    case 'succeeded':
      return { kind: 'done' };
    case 'planned':
      return { kind: 'run', plannedId: last.id };
    case 'started':
      return idempotent ? { kind: 'run', abandonId: last.id } : { kind: 'interrupted', abandonId: last.id };
    case 'interrupted':
      return idempotent ? { kind: 'run' } : { kind: 'interrupted' };
    case 'failed':
      return { kind: 'run' };
  }
}

/** Journal entries grouped by their action name, each group oldest first. */
export function groupJournal(entries: readonly JournalEntry[]): Map<string, JournalEntry[]> {
  const groups = new Map<string, JournalEntry[]>();
  for (const entry of [...entries].sort((a, b) => a.id - b.id)) {
    const group = groups.get(entry.action);
    if (group) group.push(entry);
    else groups.set(entry.action, [entry]);
  }
  return groups;
}
