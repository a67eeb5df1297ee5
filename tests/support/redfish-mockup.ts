/**
 * The resources of the DMTF public rack-server mockup (one index.json per path) plus the behaviour the Redfish
 * schema gives the ComputerSystem: ComputerSystem.Reset changes PowerState, PATCH of Boot changes the override.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MOCKUP_DIR = fileURLToPath(new URL('../fixtures/redfish/public-rackmount1', import.meta.url));
const SYSTEM_ID = '437XR1138R2';

export interface MockupAnswer {
  status: number;
  body?: unknown;
}

export interface MockupStore {
  systemPath: string;
  system(): Record<string, unknown>;
  handle(method: string, path: string, body: unknown): Promise<MockupAnswer>;
}

type Json = Record<string, unknown>;

/** A Redfish error body (`error` with `@Message.ExtendedInfo`), as BMCs send with 4xx/5xx answers. */
export function redfishError(message: string, messageId = 'Base.1.8.GeneralError'): unknown {
  return { error: { code: messageId, message, '@Message.ExtendedInfo': [{ MessageId: messageId, Message: message }] } };
}

const ENABLED_VALUES = ['Disabled', 'Once', 'Continuous'];
const MODE_VALUES = ['Legacy', 'UEFI'];

/** PowerState after each ResetType, from the current one. */
function powerAfter(resetType: string, current: string): string | undefined {
  switch (resetType) {
    case 'On':
    case 'ForceOn':
    case 'ForceRestart':
    case 'GracefulRestart':
    case 'PowerCycle':
      return 'On';
    case 'ForceOff':
    case 'GracefulShutdown':
      return 'Off';
    case 'PushPowerButton':
      return current === 'On' ? 'Off' : 'On';
    case 'Nmi':
      return current;
    default:
      return undefined;
  }
}

function badValue(property: string, value: unknown): MockupAnswer {
  const message = `The value ${JSON.stringify(value)} for the property ${property} is not in the list of acceptable values.`;
  return { status: 400, body: redfishError(message, 'Base.1.8.PropertyValueNotInList') };
}

/** Validates a Boot PATCH as a BMC does: unknown properties and values outside the allowed lists are refused. */
function checkBootPatch(boot: Json, patch: unknown): MockupAnswer | undefined {
  if (typeof patch !== 'object' || patch === null) return badValue('Boot', patch);
  const allowedTargets = boot['BootSourceOverrideTarget@Redfish.AllowableValues'] as string[];
  const rules: Record<string, string[]> = {
    BootSourceOverrideTarget: allowedTargets,
    BootSourceOverrideEnabled: ENABLED_VALUES,
    BootSourceOverrideMode: MODE_VALUES,
  };
  for (const [key, value] of Object.entries(patch)) {
    const allowed = rules[key];
    if (!allowed) return { status: 400, body: redfishError(`The property ${key} is not in the list of valid properties.`, 'Base.1.8.PropertyUnknown') };
    if (typeof value !== 'string' || !allowed.includes(value)) return badValue(key, value);
  }
  return undefined;
}

export async function createMockupStore(dir = MOCKUP_DIR): Promise<MockupStore> {
  const systemPath = `/redfish/v1/Systems/${SYSTEM_ID}`;
  const system = JSON.parse(await readFile(join(dir, 'Systems', SYSTEM_ID, 'index.json'), 'utf8')) as Json;

  async function readResource(path: string): Promise<Json | undefined> {
    const segments = path.split('/').filter((segment) => segment !== '');
    if (segments[0] !== 'redfish' || segments[1] !== 'v1' || segments.some((segment) => segment === '..' || segment.startsWith('.'))) {
      return undefined;
    }
    const file = join(dir, ...segments.slice(2), 'index.json');
    return readFile(file, 'utf8').then((text) => JSON.parse(text) as Json, () => undefined);
  }

  function reset(body: unknown): MockupAnswer {
    const resetType = (body as { ResetType?: unknown } | undefined)?.ResetType;
    const actions = system.Actions as Record<string, Json>;
    const allowed = actions['#ComputerSystem.Reset']?.['ResetType@Redfish.AllowableValues'] as string[];
    const next = typeof resetType === 'string' && allowed.includes(resetType) ? powerAfter(resetType, String(system.PowerState)) : undefined;
    if (next === undefined) return badValue('ResetType', resetType);
    system.PowerState = next;
    return { status: 204 };
  }

  function patchSystem(body: unknown): MockupAnswer {
    const boot = system.Boot as Json;
    const patch = (body as { Boot?: unknown } | undefined)?.Boot;
    const problem = checkBootPatch(boot, patch);
    if (problem) return problem;
    Object.assign(boot, patch);
    return { status: 200, body: system };
  }

  return {
    systemPath,
    system: () => structuredClone(system),
    async handle(method, path, body) {
      if (path === systemPath && method === 'GET') return { status: 200, body: system };
      if (path === systemPath && method === 'PATCH') return patchSystem(body);
      if (path === `${systemPath}/Actions/ComputerSystem.Reset` && method === 'POST') return reset(body);
      const resource = await readResource(path);
      if (resource === undefined) return { status: 404, body: redfishError(`No resource at ${path}`, 'Base.1.8.ResourceMissingAtURI') };
      if (method !== 'GET') return { status: 405, body: redfishError(`${method} is not allowed on ${path}`, 'Base.1.8.OperationNotAllowed') };
      return { status: 200, body: resource };
    },
  };
}
