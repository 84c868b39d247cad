import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The most recently written blob file under a stack's data directory (dot-files are the store's work in progress). */
export function newestBlob(dataDir: string): string {
  const dir = join(dataDir, "blobs");
  const [newest] = readdirSync(dir)
    .filter((name) => !name.startsWith("."))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  if (!newest) throw new Error("no blob stored");
  return newest.path;
}
