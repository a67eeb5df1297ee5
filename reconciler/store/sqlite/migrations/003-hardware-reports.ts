/**
 * The live system's reports (no `os` section) by node: the controller reads each node's newest one at every
 * reconcile, and a node's installed system keeps adding reports. Without this index that read parses the
 * inventory JSON of every report ever kept.
 */
export const hardwareReportsIndex = `
CREATE INDEX reports_node_hardware ON reports (node_id, id) WHERE json_extract(inventory, '$.os') IS NULL;
`;
