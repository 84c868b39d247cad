import { AppError } from "../../errors/app-error";
import type { ExchangeRow } from "../exchange-rows";

/** The byte layout of a parted upload: every part is `partBytes` long but the last; an empty file is one empty part. */
export interface PartLayout {
  size: number;
  partBytes: number;
  partCount: number;
}

export function partCountFor(size: number, partBytes: number): number {
  return Math.max(1, Math.ceil(size / partBytes));
}

export function partSize(layout: PartLayout, partNumber: number): number {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > layout.partCount) throw new RangeError(`part ${partNumber} of ${layout.partCount}`);
  return Math.min(layout.partBytes, layout.size - (partNumber - 1) * layout.partBytes);
}

/** The parts covering plaintext bytes [start, end] (inclusive), with how much to skip in the first. */
export function partsCovering(layout: PartLayout, start: number, end: number): { first: number; last: number; skip: number } {
  const first = Math.floor(start / layout.partBytes) + 1;
  const last = Math.min(layout.partCount, Math.floor(end / layout.partBytes) + 1);
  return { first, last, skip: start - (first - 1) * layout.partBytes };
}

export function layoutOf(row: ExchangeRow): PartLayout {
  if (row.part_bytes === null || row.part_count === null) throw new AppError("upload_state", "not a parted upload");
  return { size: Number(row.declared_size), partBytes: Number(row.part_bytes), partCount: Number(row.part_count) };
}
