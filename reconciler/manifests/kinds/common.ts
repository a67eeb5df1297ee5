import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';

/**
 * Pieces shared by every manifest kind. Each kind's schema inlines them, so that every file in `schemas/`
 * stands alone for editors; `description` on every property is the reference documentation.
 */

export const API_VERSION = 'plinth/v1';

/** Where the published schemas live; `$id` of each kind is `${SCHEMA_BASE}/<kind-kebab>.json`. */
export const SCHEMA_BASE = 'https://plinth.dev/schemas';

/** An object that rejects unknown fields: a typo in a manifest must be an error, not silently ignored. */
export function strictObject<T extends TProperties>(properties: T, description: string): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, description });
}

/** A lower-case DNS label, the form every object name takes (it ends up in hostnames and file names). */
export const NAME_PATTERN = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';

export function nameReference(description: string) {
  return Type.String({ pattern: NAME_PATTERN, description });
}

export const MetadataSchema = strictObject(
  {
    name: Type.String({
      pattern: NAME_PATTERN,
      description: 'Name of the object, unique per kind: lower-case letters, digits and dashes, at most 63 characters.',
    }),
    description: Type.Optional(Type.String({ description: 'Free text for humans; shown by `plinth summary`.' })),
    labels: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'Free key/value labels, for selection and reporting.' }),
    ),
  },
  'Identity of the object.',
);
export type Metadata = Static<typeof MetadataSchema>;

/** The envelope every manifest shares: `apiVersion`, `kind`, `metadata`, `spec`. */
export function manifestSchema<K extends string, S extends TSchema>(kind: K, fileName: string, spec: S, description: string) {
  return Type.Object(
    {
      apiVersion: Type.Literal(API_VERSION, { description: `Version of the manifest format; always \`${API_VERSION}\`.` }),
      kind: Type.Literal(kind, { description: `Kind of the object; \`${kind}\` for this schema.` }),
      metadata: MetadataSchema,
      spec,
    },
    { $id: `${SCHEMA_BASE}/${fileName}.json`, title: kind, additionalProperties: false, description },
  );
}

export const SecretReferenceSchema = Type.Union(
  [
    strictObject(
      { env: Type.String({ pattern: '^[A-Z_][A-Z0-9_]*$', description: 'Name of the environment variable of the controller that holds the secret.' }) },
      'The secret is read from an environment variable of the controller.',
    ),
    strictObject(
      { file: Type.String({ minLength: 1, description: 'Path of a file on the controller that holds the secret (absolute, or relative to the controller\'s secrets directory).' }) },
      'The secret is read from a file on the controller.',
    ),
    strictObject(
      { store: Type.String({ pattern: '^[A-Za-z0-9._/-]+$', description: 'Key of the secret in the controller\'s encrypted secret store.' }) },
      'The secret is read from the controller\'s encrypted store.',
    ),
  ],
  { description: 'Where a secret is read from. Secrets never appear in Git: give `{ env }`, `{ file }` or `{ store }`.' },
);
export type SecretReference = Static<typeof SecretReferenceSchema>;

export function integerRange(description: string) {
  return strictObject(
    {
      min: Type.Optional(Type.Integer({ minimum: 0, description: 'Smallest accepted value (inclusive).' })),
      max: Type.Optional(Type.Integer({ minimum: 0, description: 'Largest accepted value (inclusive).' })),
    },
    description,
  );
}
export const IntegerRangeSchema = integerRange('An inclusive range; either bound may be left out.');
export type IntegerRange = Static<typeof IntegerRangeSchema>;

export const MAC_PATTERN = '^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$';
export function macAddress(description: string) {
  return Type.String({ pattern: MAC_PATTERN, description: `${description} (six colon-separated hex pairs).` });
}

/** Shape only; whether the address and prefix make sense is checked by the semantic rules, with a better message. */
export function cidr(description: string) {
  return Type.String({ pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$', description: `${description} (CIDR notation, e.g. 10.0.0.0/24).` });
}
export function ipAddress(description: string) {
  return Type.String({ pattern: '^[0-9a-fA-F:.]+$', description: `${description} (IPv4 or IPv6 address).` });
}

export const SettingsSchema = Type.Record(
  Type.String({ pattern: '^[a-z][a-z0-9_]*$' }),
  Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean()]))]),
  { additionalProperties: false, description: 'Setting name → value, passed to the ENC as Puppet parameters; overrides the wider scope\'s value.' },
);
export type Settings = Static<typeof SettingsSchema>;
