import { AwsError } from "../contracts";

/** Query-protocol parameters: `Name=value` pairs from a form body or a GET query, lists as `Name.member.N`. */
export class QueryParams {
  constructor(private readonly values: URLSearchParams) {}

  static parse(text: string): QueryParams {
    return new QueryParams(new URLSearchParams(text));
  }

  get(name: string): string | undefined {
    return this.values.get(name) ?? undefined;
  }

  /** `Name.member.1`, `Name.member.2`, ... until the first gap, as the AWS SDKs number them. */
  list(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; this.values.has(`${name}.member.${i}`); i++) out.push(this.values.get(`${name}.member.${i}`) as string);
    return out;
  }

  /** `Tags.member.N.Key` / `Tags.member.N.Value`. */
  tags(name: string): Array<{ key: string; value: string }> {
    const out: Array<{ key: string; value: string }> = [];
    for (let i = 1; this.values.has(`${name}.member.${i}.Key`); i++) {
      out.push({ key: this.values.get(`${name}.member.${i}.Key`) as string, value: this.values.get(`${name}.member.${i}.Value`) ?? "" });
    }
    return out;
  }

  /** Integer parameter, or `fallback` when absent. */
  integer(name: string, fallback: number): number {
    const raw = this.get(name);
    if (raw === undefined) return fallback;
    if (!/^-?\d+$/.test(raw)) throw new AwsError("ValidationError", `Value '${raw}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must be an integer`);
    return Number(raw);
  }
}

export const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** AWS's wording for a constraint violation on one member. */
export function validationError(member: string, value: string | null, constraint: string): AwsError {
  const shown = value === null ? "null" : `'${value}'`;
  return new AwsError("ValidationError", `1 validation error detected: Value ${shown} at '${lowerFirst(member)}' failed to satisfy constraint: ${constraint}`);
}

export function checkRange(member: string, value: number, min: number, max: number): void {
  if (value < min) throw validationError(member, String(value), `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validationError(member, String(value), `Member must have value less than or equal to ${max}`);
}

/** STS names (role session names, source identities): 2..64 characters of [\w+=,.@-]. */
export function checkStsName(member: string, value: string | undefined, required: boolean): void {
  if (value === undefined) {
    if (required) throw validationError(member, null, "Member must not be null");
    return;
  }
  if (value.length < 2) throw validationError(member, value, "Member must have length greater than or equal to 2");
  if (value.length > 64) throw validationError(member, value, "Member must have length less than or equal to 64");
  if (!/^[\w+=,.@-]*$/.test(value)) throw validationError(member, value, "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
}
