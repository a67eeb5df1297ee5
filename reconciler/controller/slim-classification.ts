import type { Classification, PeerFlag, ProfileEvaluation } from '../inventory/classification.js';

const NO_EVALUATIONS: ProfileEvaluation[] = Object.freeze([]) as unknown as ProfileEvaluation[];
const NO_FLAGS: PeerFlag[] = Object.freeze([]) as unknown as PeerFlag[];

/**
 * A classification as the controller keeps it between commits: what compile, plan and apply read (identity,
 * state, reasons, profile, role, pin, placement), without the per-profile criterion results and peer flags
 * that only `plinth explain` prints. Those are about 3.5 kB per machine: 35 MB of a 10,000-machine
 * controller's heap, held by the compiler's cache for as long as the machine is unchanged. Pure.
 */
export function slimClassification(classification: Classification): Classification {
  return { ...classification, evaluations: NO_EVALUATIONS, flags: NO_FLAGS };
}
