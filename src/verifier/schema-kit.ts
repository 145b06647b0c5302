// Small TypeBox helpers shared by every schema of the wire contract (verifier/wire.ts and
// contract/): string enums as OpenAPI tools read them, references to named schemas typed as
// the schema, ISO 8601 times.
import { Type, type Static, type TSchema } from 'typebox';

/** `{type: string, enum}` (TypeBox's own Enum omits the type, which code generators want). */
export const StringEnum = <const T extends string>(values: readonly T[], opts: { description?: string; examples?: T[] } = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...opts });

/** A reference to a named schema ($id), typed as that schema: a component of the document. */
export const ref = <T extends TSchema & { $id?: string }>(schema: T, opts: { description?: string } = {}) => {
  if (!schema.$id) throw new Error('ref() needs a schema with an $id');
  return Type.Unsafe<Static<T>>({ $ref: schema.$id, ...opts });
};

export const IsoTime = (description: string) => Type.String({ format: 'date-time', description });
