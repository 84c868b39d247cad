// Reading a JSON 1.1 request body the way AWS's front end does: a value of the wrong JSON type is a
// SerializationException, a value of the right type outside its constraints a ValidationException whose
// message has AWS's "1 validation error detected: ..." shape. Secret inputs (plaintext) never appear in it.
import { AwsError } from "../contracts";

export type Input = Record<string, unknown>;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function memberName(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

export function validationError(field: string, value: string | null | undefined, constraint: string): AwsError {
  const shown = value === undefined ? "Value" : value === null ? "Value null" : `Value '${value}'`;
  return new AwsError("ValidationException", `1 validation error detected: ${shown} at '${memberName(field)}' failed to satisfy constraint: ${constraint}`);
}

function serializationError(field: string, expected: string): AwsError {
  return new AwsError("SerializationException", `Expected ${expected} for field ${field}`);
}

export function asInput(raw: unknown): Input {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw new AwsError("SerializationException", "The request body must be a JSON object");
  return raw;
}

interface LengthRule {
  min?: number;
  max?: number;
}

function checkLength(field: string, length: number, shown: string | undefined, rule: LengthRule): void {
  if (rule.min !== undefined && length < rule.min) throw validationError(field, shown, `Member must have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && length > rule.max) throw validationError(field, shown, `Member must have length less than or equal to ${rule.max}`);
}

export function optionalString(input: Input, field: string, rule: LengthRule = {}): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw serializationError(field, "a string");
  checkLength(field, value.length, value, rule);
  return value;
}

export function requiredString(input: Input, field: string, rule: LengthRule = {}): string {
  const value = optionalString(input, field, rule);
  if (value === undefined) throw validationError(field, null, "Member must not be null");
  return value;
}

export function optionalEnum<T extends string>(input: Input, field: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(input, field);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw validationError(field, value, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  return value as T;
}

export function requiredEnum<T extends string>(input: Input, field: string, allowed: readonly T[]): T {
  const value = optionalEnum(input, field, allowed);
  if (value === undefined) throw validationError(field, null, "Member must not be null");
  return value;
}

export function optionalInteger(input: Input, field: string, range: { min: number; max: number }): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw serializationError(field, "an integer");
  if (value < range.min) throw validationError(field, String(value), `Member must have value greater than or equal to ${range.min}`);
  if (value > range.max) throw validationError(field, String(value), `Member must have value less than or equal to ${range.max}`);
  return value;
}

export function optionalBoolean(input: Input, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw serializationError(field, "a boolean");
  return value;
}

/** Blobs travel as base64 strings. `secret` keeps the value (and its size) out of error messages. */
function optionalBlob(input: Input, field: string, rule: LengthRule & { secret?: boolean } = {}): Buffer | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !BASE64.test(value)) throw serializationError(field, "a base64-encoded blob");
  const bytes = Buffer.from(value, "base64");
  checkLength(field, bytes.length, rule.secret ? undefined : value, rule);
  return bytes;
}

export function requiredBlob(input: Input, field: string, rule: LengthRule & { secret?: boolean } = {}): Buffer {
  const value = optionalBlob(input, field, rule);
  if (value === undefined) throw validationError(field, null, "Member must not be null");
  return value;
}

export function optionalStringMap(input: Input | Record<string, unknown>, field: string): Record<string, string> | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw serializationError(field, "a map of strings");
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") throw serializationError(field, "a map of strings");
    map[key] = entry;
  }
  return map;
}

export function optionalStringList(input: Input, field: string, rule: { maxItems?: number } = {}): string[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) throw serializationError(field, "a list of strings");
  if (rule.maxItems !== undefined && value.length > rule.maxItems) throw validationError(field, undefined, `Member must have length less than or equal to ${rule.maxItems}`);
  return value as string[];
}

export function optionalObject(input: Input, field: string): Input | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw serializationError(field, "a structure");
  return value;
}

export function optionalObjectList(input: Input, field: string): Input[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every(isObject)) throw serializationError(field, "a list of structures");
  return value;
}
