import { AwsError } from "../contracts";
import { optionalInteger, optionalString, type Input } from "./input";

export interface Page<T> {
  items: T[];
  /** Truncated, and NextMarker only when truncated, as KMS's List* operations answer. */
  fields: { Truncated: boolean; NextMarker?: string };
}

/** Limit/Marker paging over a list in a stable order. Markers are opaque offsets. */
export function paginate<T>(input: Input, items: T[], limits: { defaultLimit: number; maxLimit: number }): Page<T> {
  const limit = optionalInteger(input, "Limit", { min: 1, max: limits.maxLimit }) ?? limits.defaultLimit;
  const marker = optionalString(input, "Marker", { min: 1, max: 1024 });
  let start = 0;
  if (marker !== undefined) {
    const offset = Number(Buffer.from(marker, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset <= 0 || offset > items.length) throw new AwsError("InvalidMarkerException", "Invalid marker");
    start = offset;
  }
  const end = start + limit;
  const page = items.slice(start, end);
  if (end >= items.length) return { items: page, fields: { Truncated: false } };
  return { items: page, fields: { Truncated: true, NextMarker: Buffer.from(String(end), "utf8").toString("base64url") } };
}
