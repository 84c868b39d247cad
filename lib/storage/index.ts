import "server-only";
import { join } from "node:path";
import { getConfig } from "../config";
import { processSingleton } from "../process-singleton";
import type { BlobStore } from "./blob-store";
import { openLocalDiskStore } from "./local-disk-store";
import { openS3Store } from "./s3-store";

export type { BlobStore, BlobWriter } from "./blob-store";

export function getBlobStore(): Promise<BlobStore> {
  return processSingleton("blob-store", async () => {
    const config = getConfig();
    return config.s3 ? openS3Store(config.s3, config.region, config.logLevel) : openLocalDiskStore(join(config.dataDir, "blobs"));
  });
}
