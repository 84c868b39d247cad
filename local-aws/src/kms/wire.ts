// JSON 1.1 output conventions: timestamps are epoch seconds, blobs are base64 strings.
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

export function blob(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
