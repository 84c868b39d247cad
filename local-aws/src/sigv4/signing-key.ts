import { createHmac } from "node:crypto";

const MAX_ENTRIES = 4096;
const cache = new Map<string, Buffer>();

const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest();

/** kSigning = HMAC chain over date, region, service and "aws4_request"; the same for a whole day, so it is cached. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${date}/${region}/${service}/${secret}`;
  let key = cache.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
    // Keys for past days or rotated secrets are never used again; dropping everything now and then bounds memory.
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(id, key);
  }
  return key;
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac("sha256", key).update(data).digest("hex");
}
