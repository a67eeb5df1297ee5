import { Hono } from 'hono';
import { ControllerMetrics } from '../../controller/metrics.js';

/** A label value as the Prometheus text format wants it: backslash, quote and newline escaped. */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function renderHistogram(metrics: ControllerMetrics): string[] {
  const name = 'plinth_reconcile_duration_seconds';
  const lines = [`# HELP ${name} Time to validate, plan and apply one revision.`, `# TYPE ${name} histogram`];
  ControllerMetrics.BUCKETS.forEach((bound, index) => lines.push(`${name}_bucket{le="${bound}"} ${metrics.reconcileBuckets[index] ?? 0}`));
  lines.push(`${name}_bucket{le="+Inf"} ${metrics.reconcileCount}`, `${name}_sum ${metrics.reconcileSumSeconds}`, `${name}_count ${metrics.reconcileCount}`);
  return lines;
}

function renderCounter(name: string, help: string, type: 'counter' | 'gauge', series: Iterable<[Record<string, string>, number]>): string[] {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const [labels, value] of series) {
    const text = Object.entries(labels).map(([key, labelValue]) => `${key}="${label(labelValue)}"`).join(',');
    lines.push(`${name}{${text}} ${value}`);
  }
  return lines;
}

/** Renders every controller metric in the Prometheus text exposition format (version 0.0.4). */
export function renderMetrics(metrics: ControllerMetrics, nodesByState: Record<string, number>): string {
  const actions = [...metrics.actions].map(([key, value]): [Record<string, string>, number] => {
    const [kind = '', outcome = ''] = key.split('\u0000');
    return [{ kind, outcome }, value];
  });
  const lines = [
    ...renderHistogram(metrics),
    ...renderCounter('plinth_actions_total', 'Actions by kind and outcome.', 'counter', actions),
    ...renderCounter('plinth_nodes', 'Enrolled nodes by lifecycle state.', 'gauge', Object.entries(nodesByState).map(([state, count]) => [{ state }, count])),
    ...renderCounter('plinth_bmc_errors_total', 'Failed BMC steps by error code.', 'counter', [...metrics.bmcErrors].map(([code, count]) => [{ code }, count])),
    ...renderCounter('plinth_revisions_total', 'Revisions reconciled by result.', 'counter', [...metrics.revisions].map(([result, count]) => [{ result }, count])),
  ];
  return `${lines.join('\n')}\n`;
}

/** GET /metrics for Prometheus. */
export function metricsRoutes(deps: { metrics: ControllerMetrics; countNodesByState: () => Promise<Record<string, number>> }): Hono {
  const routes = new Hono();
  routes.get('/metrics', async (c) => {
    const body = renderMetrics(deps.metrics, await deps.countNodesByState());
    return c.text(body, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return routes;
}
