/**
 * Turns OpenAPI 3.0 schema objects (as Atlassian writes them) into JSON Schema that ajv checks.
 *
 * One conversion per direction: a request must not be asked for properties the server fills in
 * (readOnly), a response must not be asked for ones only a client sends (writeOnly), and response
 * schemas are read as open because Atlassian's descriptions under-declare what Jira returns.
 */

export type Direction = 'request' | 'response';

type SchemaObject = { [key: string]: unknown };

const isObject = (value: unknown): value is SchemaObject => typeof value === 'object' && value !== null && !Array.isArray(value);

export const COMPONENT_REF_PREFIX = '#/components/schemas/';

/** Keywords with no meaning to ajv (or a different one) that the conversion has already used up. */
const DROPPED_KEYWORDS = new Set(['nullable', 'discriminator', 'readOnly', 'writeOnly', 'deprecated', 'xml', 'externalDocs', 'example']);

export interface SchemaConversion {
  direction: Direction;
  /** Component schemas of the same description, to see whether a referenced property is readOnly. */
  components: Readonly<Record<string, unknown>>;
  /** Turns a component name into the `$ref` ajv should follow. */
  refFor(componentName: string): string;
}

function componentName(ref: string): string {
  if (!ref.startsWith(COMPONENT_REF_PREFIX)) throw new Error(`unsupported reference ${ref}`);
  return ref.slice(COMPONENT_REF_PREFIX.length);
}

/** Whether a schema is marked readOnly/writeOnly on itself, behind a `$ref`, or behind a one-member allOf. */
function isMarked(schema: unknown, marker: 'readOnly' | 'writeOnly', conversion: SchemaConversion, depth = 0): boolean {
  if (!isObject(schema) || depth > 4) return false;
  if (schema[marker] === true) return true;
  if (typeof schema['$ref'] === 'string') {
    return isMarked(conversion.components[componentName(schema['$ref'])], marker, conversion, depth + 1);
  }
  const allOf = schema['allOf'];
  return Array.isArray(allOf) && allOf.length === 1 && isMarked(allOf[0], marker, conversion, depth + 1);
}

/** Java's `\p{Digit}` (in the Software description) is `\d`; everything else there is valid for the `u` flag. */
export function toEcmaPattern(pattern: string): string {
  return pattern.replace(/\\p\{Digit\}/g, '\\d');
}

function withNull(converted: SchemaObject): SchemaObject {
  const type = converted['type'];
  if (typeof type === 'string') {
    const out: SchemaObject = { ...converted, type: [type, 'null'] };
    if (Array.isArray(converted['enum'])) out['enum'] = [...converted['enum'], null];
    return out;
  }
  return { anyOf: [converted, { type: 'null' }] };
}

export function convertSchema(schema: unknown, conversion: SchemaConversion): unknown {
  if (typeof schema === 'boolean') return schema;
  if (!isObject(schema)) return {};

  // OpenAPI 3.0 ignores every sibling of a $ref; Atlassian sometimes adds a description there.
  // `nullable` next to a $ref is the one sibling worth honouring, as its authors clearly meant it.
  if (typeof schema['$ref'] === 'string') {
    const ref: SchemaObject = { $ref: conversion.refFor(componentName(schema['$ref'])) };
    return schema['nullable'] === true ? { anyOf: [ref, { type: 'null' }] } : ref;
  }

  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
    switch (key) {
      case 'properties': {
        const properties: SchemaObject = {};
        for (const [name, propertySchema] of Object.entries(isObject(value) ? value : {})) {
          const converted = convertSchema(propertySchema, conversion);
          // Jira's serialiser writes null for unset properties (a rank change's "from" and "to", for
          // one) although the descriptions hardly ever say nullable; null is no mismatch there.
          properties[name] = conversion.direction === 'response' && isObject(converted) ? withNull(converted) : converted;
        }
        out[key] = properties;
        break;
      }
      case 'items':
      case 'not':
        out[key] = convertSchema(value, conversion);
        break;
      case 'additionalProperties':
        out[key] = typeof value === 'boolean' ? value : convertSchema(value, conversion);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = Array.isArray(value) ? value.map((member) => convertSchema(member, conversion)) : value;
        break;
      case 'pattern':
        out[key] = typeof value === 'string' ? toEcmaPattern(value) : value;
        break;
      default:
        out[key] = value;
    }
  }

  // What one side never sends cannot be required of it.
  if (Array.isArray(out['required']) && isObject(schema['properties'])) {
    const properties = schema['properties'];
    const marker = conversion.direction === 'request' ? 'readOnly' : 'writeOnly';
    out['required'] = out['required'].filter((name) => typeof name !== 'string' || !isMarked(properties[name], marker, conversion));
  }

  const combined = 'allOf' in out || 'anyOf' in out || 'oneOf' in out;
  if (out['additionalProperties'] === false && (conversion.direction === 'response' || (combined && !('properties' in out)))) {
    // Responses: Jira returns more than Atlassian declares, so an extra property is no mismatch.
    // Combinators: JSON Schema would then forbid every property the members declare.
    delete out['additionalProperties'];
  }

  return schema['nullable'] === true ? withNull(out) : out;
}
