import { initialSchema } from './001-initial.js';
import { controllerSchema } from './002-controller.js';
import { hardwareReportsIndex } from './003-hardware-reports.js';

export interface Migration {
  /** Strictly increasing; recorded in `schema_migrations` once applied. Never renumber or edit a shipped one. */
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. Add a new file `NNN-what.ts` and one line here. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initialSchema },
  { version: 2, name: 'controller', sql: controllerSchema },
  { version: 3, name: 'hardware-reports', sql: hardwareReportsIndex },
];
