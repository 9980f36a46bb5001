// Small TypeBox builders shared by every single-source definition (report, batch, facts, config):
// each definition is written once and gives both its TypeScript type (`Static<typeof X>`) and the
// JSON Schema ajv validates. The builders emit the keywords the hand-written schemas used (`enum`,
// `const`, `type: [T, 'null']`), so ajv's errors, and the messages built from them, stay the same.

import { Type, type Static, type TSchema, type TProperties, type TObject, type TUnsafe } from 'typebox';

export { Type, type Static, type TSchema };

type Options = Record<string, unknown>;

/** `{ enum: [...] }` typed as the union of its values. */
export function enumOf<const V extends readonly (string | number | boolean | null)[]>(
  values: V,
  options: Options = {},
): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ enum: [...values], ...options });
}

/** `{ const: value }` (no `type`: the error names the value expected). */
export function constOf<const V extends string | number | boolean>(value: V, options: Options = {}): TUnsafe<V> {
  return Type.Unsafe<V>({ const: value, ...options });
}

/** `{ type: ['string', 'null'] }`: a string or null, one keyword, one error. */
export function nullableString(options: Options = {}): TUnsafe<string | null> {
  return Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });
}

export function nullableInteger(options: Options = {}): TUnsafe<number | null> {
  return Type.Unsafe<number | null>({ type: ['integer', 'null'], ...options });
}

export function nullableNumber(options: Options = {}): TUnsafe<number | null> {
  return Type.Unsafe<number | null>({ type: ['number', 'null'], ...options });
}

/** Any value (`{}`), typed as T: free-form parts such as an attempt's facts. */
export function anyValue<T = unknown>(options: Options = {}): TUnsafe<T> {
  return Type.Unsafe<T>({ ...options });
}

/** A JSON object of any keys (`{ type: 'object' }`). */
export function anyObject(options: Options = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({ type: 'object', ...options });
}

/** A closed object: every property required unless wrapped in Type.Optional, no others allowed. */
export function closed<P extends TProperties>(properties: P, options: Options = {}): TObject<P> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** Builders the check families' facts share (every field required, no others allowed). */
export const str = Type.String();
export const int = Type.Integer();
export const bool = Type.Boolean();
export const nullableStr = nullableString();
export const list = <T extends TSchema>(items: T) => Type.Array(items);

/** A facts schema as published (Check.factsSchema): `$schema`, an `$id` and a title around the definition. */
export function factsSchema(id: string, body: TSchema): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://govscan.dev/schemas/checks/${id}.facts.json`,
    title: `${id} facts`,
    ...body,
  };
}
