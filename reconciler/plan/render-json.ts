import type { Plan } from './types.js';

/** The plan as JSON, for tools: the same data the controller executes (ENCs as diffs with placeholders only). */
export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
