import "server-only";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { AppError } from "../errors/app-error";
import { translateStreamErrors } from "../errors/stream-errors";
import type { BlobStore, BlobWriter } from "./blob-store";
import { diskFailure, onDisk } from "./disk-errors";

const KEY_PATTERN = /^[0-9a-f]{40}$/;

function newKey(): string {
  return randomBytes(20).toString("hex");
}

function checkedKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new AppError("internal", `malformed blob key ${JSON.stringify(key)}`);
  return key;
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Blobs as files under `root`; writes go to `root/.incoming` and are renamed into place once synced. */
export async function openLocalDiskStore(root: string): Promise<BlobStore> {
  const incoming = join(root, ".incoming");
  await onDisk(`create ${incoming}`, () => mkdir(incoming, { recursive: true, mode: 0o700 }));

  return {
    async createWriter(): Promise<BlobWriter> {
      const key = newKey();
      const tempPath = join(incoming, key);
      const stream = translateStreamErrors(createWriteStream(tempPath, { flags: "wx", mode: 0o600 }), (error) => diskFailure(error, `write ${key}`));
      let settled = false;
      return {
        stream,
        commit: () =>
          onDisk(`commit ${key}`, async () => {
            await finished(stream);
            await fsyncPath(tempPath);
            await rename(tempPath, join(root, key));
            await fsyncPath(root);
            settled = true;
            return key;
          }),
        async abort() {
          if (settled) return;
          settled = true;
          stream.destroy();
          await onDisk(`discard ${key}`, () => rm(tempPath, { force: true }));
        },
      };
    },
    read: (key) => translateStreamErrors(createReadStream(join(root, checkedKey(key)), { highWaterMark: 1024 * 1024 }), (error) => diskFailure(error, `read ${key}`)),
    size: (key) => onDisk(`size of ${key}`, async () => (await stat(join(root, checkedKey(key)))).size),
    delete: (key) => onDisk(`delete ${key}`, () => rm(join(root, checkedKey(key)), { force: true })),
    sweepAbandoned: (olderThan) =>
      onDisk(`sweep ${incoming}`, async () => {
        let removed = 0;
        for (const name of await readdir(incoming)) {
          const path = join(incoming, name);
          const info = await stat(path).catch(() => undefined);
          if (info && info.mtime < olderThan) {
            await rm(path, { force: true });
            removed += 1;
          }
        }
        return removed;
      }),
  };
}
