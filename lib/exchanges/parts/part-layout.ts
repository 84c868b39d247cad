import { AppError } from "../../errors/app-error";
import type { ExchangeRow } from "../exchange-rows";
import type { PartLayout } from "../../contract/transfer";

// The arithmetic is the transfer contract's, shared with the browser and the tests; only reading a row is here.
export { partCountFor, partsCovering, partSize, type PartLayout } from "../../contract/transfer";

export function layoutOf(row: ExchangeRow): PartLayout {
  if (row.part_bytes === null || row.part_count === null) throw new AppError("upload_state", "not a parted upload");
  return { size: Number(row.declared_size), partBytes: Number(row.part_bytes), partCount: Number(row.part_count) };
}
