import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { join } from 'node:path';
import { bootAssetsDir } from '../../lib/package-paths.js';
import { compileTemplate, type Template } from '../../lib/render-template.js';
import { normaliseMac } from '../../lib/mac-address.js';
import { BootError } from './errors.js';
import type { BootDriver, BootImage, BootRequest, BootSettings, BootTarget } from './types.js';

/** The compiled `boot-assets/ipxe/*.ipxe.tmpl` templates, one per target plus the retry script. */
export type BootTemplates = Readonly<Record<BootTarget | 'retry', Template>>;

const TEMPLATE_NAMES = ['discovery', 'deploy', 'local', 'retry'] as const;
/** Tokens travel on the kernel command line, where spaces, quotes and iPXE's `${` would break parsing. */
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;
const ASSET_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const COMMAND_LINE = /^[^\s"'\\]+( [^\s"'\\]+)*$/;

/** Loads the iPXE templates from `dir` (default `boot-assets/ipxe`). */
export async function loadBootTemplates(dir: string = join(bootAssetsDir(), 'ipxe')): Promise<BootTemplates> {
  const entries = await Promise.all(
    TEMPLATE_NAMES.map(async (name) => {
      const path = join(dir, `${name}.ipxe.tmpl`);
      return [name, compileTemplate(await readFile(path, 'utf8'), path)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<(typeof TEMPLATE_NAMES)[number], Template>;
}

/**
 * The iPXE boot driver: per-node scripts rendered from templates. Settings are checked once here, so rendering
 * per request is string joins. Example: `createIpxeBootDriver(settings, templates).renderScript({ mac, target: 'local' })`.
 */
export function createIpxeBootDriver(settings: BootSettings, templates: BootTemplates): BootDriver {
  checkBootSettings(settings);
  const controllerUrl = settings.controllerUrl.replace(/\/+$/, '');
  const assetsUrl = (settings.assetsUrl ?? `${controllerUrl}/boot/assets`).replace(/\/+$/, '');
  const reportUrl = settings.reportUrl ?? `${controllerUrl}/v1/reports`;
  const imageValues = (image: BootImage) => ({
    assetsUrl,
    controllerUrl,
    reportUrl,
    kernel: image.kernel,
    initrd: image.initrd,
    initrdName: posix.basename(image.initrd),
    kernelArgs: [settings.kernelArgs, image.kernelArgs].filter(Boolean).join(' '),
  });
  const values = { discovery: imageValues(settings.discovery), deploy: imageValues(settings.deploy) };

  return {
    renderScript(request: BootRequest): string {
      const mac = checkMac(request.mac);
      if (request.target === 'local') return templates.local({ mac });
      if (request.token === undefined || !TOKEN.test(request.token)) {
        throw new BootError('BOOT_INVALID_REQUEST', `a ${request.target} boot needs a token of 16-128 URL-safe characters`, {
          details: { mac, target: request.target },
        });
      }
      return templates[request.target]({ ...values[request.target], mac, token: request.token });
    },
    renderRetryScript: (mac) => templates.retry({ mac: checkMac(mac) }),
  };
}

function checkMac(text: string): string {
  const mac = normaliseMac(text);
  if (mac === undefined) throw new BootError('BOOT_INVALID_REQUEST', `"${text}" is not a MAC address`, { details: { mac: text } });
  return mac;
}

/** Throws BOOT_CONFIG_INVALID listing every problem in the settings. */
export function checkBootSettings(settings: BootSettings): void {
  const problems: string[] = [];
  const urls = [['controllerUrl', settings.controllerUrl], ['assetsUrl', settings.assetsUrl], ['reportUrl', settings.reportUrl]] as const;
  for (const [key, url] of urls) {
    if (url === undefined) continue;
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || /[\s"'\\$]/.test(url) || parsed.search || parsed.hash) {
      problems.push(`${key} "${url}" must be a plain http(s) URL`);
    }
  }
  for (const target of ['discovery', 'deploy'] as const) {
    const image = settings[target];
    for (const key of ['kernel', 'initrd'] as const) {
      if (!ASSET_PATH.test(image[key]) || image[key].split('/').includes('..')) problems.push(`${target}.${key} "${image[key]}" must be a relative asset path`);
    }
    if (image.kernelArgs && !COMMAND_LINE.test(image.kernelArgs)) problems.push(`${target}.kernelArgs must be space-separated words without quotes`);
  }
  if (settings.kernelArgs && !COMMAND_LINE.test(settings.kernelArgs)) problems.push('kernelArgs must be space-separated words without quotes');
  if (problems.length > 0) {
    throw new BootError('BOOT_CONFIG_INVALID', `invalid boot settings: ${problems.join('; ')}`, { details: { problems } });
  }
}
