import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { measureProcess } from "./process-meter";

const MIB = 1024 * 1024;

/** Node's AES-256-GCM alone, file to file with 1 MiB reads: the ceiling for any encrypting transfer. */
export async function aesGcmFileToFile(source: string, dir: string) {
  const target = join(dir, "aes-gcm.out");
  const measured = await measureProcess(process.pid, () =>
    pipeline(createReadStream(source, { highWaterMark: MIB }), createCipheriv("aes-256-gcm", randomBytes(32), randomBytes(12)), createWriteStream(target)),
  );
  rmSync(target, { force: true });
  return measured;
}

/** SHA-256 of a file with 1 MiB reads: the work of the ciphertext digest check that precedes every download. */
export async function sha256OfFile(source: string) {
  return measureProcess(process.pid, () => pipeline(createReadStream(source, { highWaterMark: MIB }), createHash("sha256")));
}

/** A bare Node HTTP server with no encryption: PUT body to disk, GET file to response. */
export async function plainHttpBaseline(source: string, dir: string, size: number) {
  const stored = join(dir, "plain.out");
  const server: Server = createServer((req, res) => {
    if (req.method === "PUT") {
      void pipeline(req, createWriteStream(stored)).then(() => res.end("ok"), () => res.destroy());
    } else {
      res.writeHead(200, { "content-length": String(size) });
      void pipeline(createReadStream(stored, { highWaterMark: MIB }), res).catch(() => undefined);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const send = (method: "PUT" | "GET") =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method, path: "/" }, (res) => {
        res.on("data", () => undefined);
        res.on("end", resolve);
        res.on("error", reject);
      });
      req.on("error", reject);
      if (method === "PUT") void pipeline(createReadStream(source, { highWaterMark: MIB }), req).catch(reject);
      else req.end();
    });
  const upload = await measureProcess(process.pid, () => send("PUT"));
  const download = await measureProcess(process.pid, () => send("GET"));
  server.close();
  rmSync(stored, { force: true });
  return { upload, download };
}
