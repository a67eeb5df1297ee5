import { join } from 'node:path';
import { bootAssetsDir } from '../../../lib/package-paths.js';
import { loadTemplate, type Template } from '../../../lib/render-template.js';

/** Loads plinth's dnsmasq configuration template (`boot-assets/dnsmasq.conf.tmpl` unless another path is given). */
export async function loadDnsmasqTemplate(path: string = join(bootAssetsDir(), 'dnsmasq.conf.tmpl')): Promise<Template> {
  return loadTemplate(path);
}
