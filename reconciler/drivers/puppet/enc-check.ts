import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Problem } from '../../lib/problems.js';

/** Puppet certnames as plinth issues them: lowercase host names, which are also safe file names. */
export const CERTNAME_PATTERN = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;
const CLASS_NAME = /^(?:::)?[a-z][a-z0-9_]*(?:::[a-z][a-z0-9_]*)*$/;
const ENVIRONMENT_NAME = /^[a-z0-9_]+$/;
const TOP_LEVEL_KEYS = new Set(['environment', 'classes', 'parameters']);

/**
 * Checks an ENC document the way Puppet's exec terminus will read it, and more strictly: Puppet ignores
 * unknown top-level keys and accepts any class name at lookup time, which hides typos until a run fails.
 * Returns every problem with its position in the document named `file`.
 * Example: `checkEnc(yamlText, 'enc/c1-compute-1.yaml')`.
 */
export function checkEnc(text: string, file: string): Problem[] {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: Problem[] = [];
  const add = (node: Node | null | undefined, path: string, message: string, rule = 'enc-shape'): void => {
    const position = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    problems.push({ severity: 'error', rule, message, file, line: position.line, col: position.col, path });
  };
  for (const error of document.errors) {
    const position = error.linePos?.[0] ?? { line: 1, col: 1 };
    problems.push({ severity: 'error', rule: 'yaml-syntax', message: error.message, file, line: position.line, col: position.col });
  }
  if (problems.length > 0) return problems;
  const root = document.contents;
  if (!isMap(root)) {
    add(root, '$', 'an ENC must be a mapping with environment, classes and parameters');
    return problems;
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if (!TOP_LEVEL_KEYS.has(key)) add(pair.key as Node, `$.${key}`, `unknown key "${key}" (Puppet would silently ignore it)`);
    else if (key === 'environment') checkEnvironment(value, add);
    else if (key === 'classes') checkClasses(value, add);
    else if (!isMap(value)) add(value ?? (pair.key as Node), '$.parameters', 'parameters must be a mapping of top-scope variables');
  }
  return problems;
}

type AddProblem = (node: Node | null | undefined, path: string, message: string) => void;

function checkEnvironment(value: Node | null, add: AddProblem): void {
  if (!isScalar(value) || typeof value.value !== 'string' || !ENVIRONMENT_NAME.test(value.value)) {
    add(value, '$.environment', 'environment must be a Puppet environment name (lowercase letters, digits, underscores)');
  }
}

function checkClasses(value: Node | null, add: AddProblem): void {
  if (isSeq(value)) {
    value.items.forEach((item, index) => {
      if (!isScalar(item) || typeof item.value !== 'string' || !CLASS_NAME.test(item.value)) {
        add(item as Node, `$.classes[${index}]`, 'each class must be a Puppet class name such as plinth::role::compute');
      }
    });
    return;
  }
  if (!isMap(value)) {
    add(value, '$.classes', 'classes must be a mapping of class name to parameters, or a list of class names');
    return;
  }
  for (const pair of value.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!CLASS_NAME.test(name)) add(pair.key as Node, `$.classes.${name}`, `"${name}" is not a Puppet class name`);
    const parameters = pair.value as Node | null;
    if (parameters !== null && !isMap(parameters) && !(isScalar(parameters) && parameters.value === null)) {
      add(parameters, `$.classes.${name}`, `the parameters of class ${name} must be a mapping`);
    }
  }
}
