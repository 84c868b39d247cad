import "server-only";
import { join } from "node:path";
import { getConfig } from "../config";
import type { BlobStore } from "./blob-store";
import { openLocalDiskStore } from "./local-disk-store";

export type { BlobStore, BlobWriter } from "./blob-store";

let opening: Promise<BlobStore> | undefined;

export function getBlobStore(): Promise<BlobStore> {
  opening ??= openLocalDiskStore(join(getConfig().dataDir, "blobs"));
  return opening;
}
