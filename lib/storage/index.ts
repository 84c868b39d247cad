import "server-only";
import { join } from "node:path";
import { getConfig } from "../config";
import { processSingleton } from "../process-singleton";
import type { BlobStore } from "./blob-store";
import { openLocalDiskStore } from "./local-disk-store";

export type { BlobStore, BlobWriter } from "./blob-store";

export function getBlobStore(): Promise<BlobStore> {
  return processSingleton("blob-store", () => openLocalDiskStore(join(getConfig().dataDir, "blobs")));
}
