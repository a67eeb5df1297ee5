import { Type, type Static } from '@sinclair/typebox';
import { manifestSchema, strictObject } from './common.js';

const RecipeSchema = strictObject(
  {
    suite: Type.String({ minLength: 1, description: 'Debian suite the installer builds, e.g. `bookworm`.' }),
    mirror: Type.Optional(Type.String({ format: 'uri', description: 'Debian mirror URL; the cluster\'s debmirror role when absent.' })),
    packages: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9+.-]+$' }), { description: 'Extra packages to install.' })),
  },
  'An installer recipe: the system is built on the machine instead of copied.',
);

export const ImageSpecSchema = strictObject(
  {
    url: Type.Optional(Type.String({ format: 'uri', description: 'Where the golden image is downloaded from (http, https or file).' })),
    sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the image file, 64 lower-case hex digits.' })),
    format: Type.Optional(Type.Union([Type.Literal('raw'), Type.Literal('qcow2')], { description: 'Format of the image file.' })),
    recipe: Type.Optional(RecipeSchema),
  },
  'A golden image (url, sha256, format) or an installer recipe; exactly one of the two.',
);

export const ImageSchema = manifestSchema('Image', 'image', ImageSpecSchema, 'The operating system that machines receive.');
export type Image = Static<typeof ImageSchema>;
