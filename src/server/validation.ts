// Request validation for fastify: bodies are checked as sent (no type coercion, no defaults, no
// silent removal of unknown properties: a batch that does not match is refused, not repaired), query
// strings are coerced from text. Validators are compiled once per schema object for the process, so
// building another app (tests, replicas in one process) and serving requests never compile again.

import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS with a default export; under NodeNext the plugin sits on `.default`.
const addFormats = addFormatsModule.default;

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: false,
    strict: false,
    coerceTypes: coerce,
    useDefaults: coerce,
    removeAdditional: false,
    // Schemas come from this package; `$id`s repeat across compilations of the same file.
    addUsedSchema: false,
    // maxLength counts UTF-16 units (String#length) instead of walking every string for surrogate
    // pairs: it is a size bound, not a character count, and the walk doubled the cost of a batch.
    unicode: false,
    // ajv warns that `unicode` is deprecated on every instance; these schemas are ours and tested.
    logger: false,
  });
  addFormats(ajv, ['date-time', 'date', 'uuid']);
  return ajv;
}

let bodyAjv: Ajv | undefined;
let queryAjv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const known = compiled.get(schema);
  if (known) return known;
  const forText = httpPart === 'querystring' || httpPart === 'params' || httpPart === 'headers';
  const ajv = forText ? (queryAjv ??= makeAjv(true)) : (bodyAjv ??= makeAjv(false));
  const validate = ajv.compile(schema);
  compiled.set(schema, validate);
  return validate;
};
