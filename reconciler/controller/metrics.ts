/**
 * The controller's own counters, rendered as Prometheus text by `routes/metrics.ts`. Plain numbers in
 * maps: a handful of series does not need a metrics library.
 */
export class ControllerMetrics {
  /** Bucket upper bounds of reconcile duration, in seconds. */
  static readonly BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600];
  readonly reconcileBuckets = new Array<number>(ControllerMetrics.BUCKETS.length).fill(0);
  reconcileCount = 0;
  reconcileSumSeconds = 0;
  /** `kind\u0000outcome` → count. */
  readonly actions = new Map<string, number>();
  /** BMC step failures by error code. */
  readonly bmcErrors = new Map<string, number>();
  /** `result` (applied, invalid, error) → count. */
  readonly revisions = new Map<string, number>();

  observeReconcile(seconds: number, result: 'applied' | 'invalid' | 'error'): void {
    this.reconcileCount += 1;
    this.reconcileSumSeconds += seconds;
    ControllerMetrics.BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) this.reconcileBuckets[index] = (this.reconcileBuckets[index] ?? 0) + 1;
    });
    this.revisions.set(result, (this.revisions.get(result) ?? 0) + 1);
  }

  countAction(kind: string, outcome: string): void {
    const key = `${kind}\u0000${outcome}`;
    this.actions.set(key, (this.actions.get(key) ?? 0) + 1);
  }

  countBmcError(code: string): void {
    this.bmcErrors.set(code, (this.bmcErrors.get(code) ?? 0) + 1);
  }
}
