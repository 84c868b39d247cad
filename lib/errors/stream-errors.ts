import type { Readable, Writable } from "node:stream";

/**
 * Makes `stream` emit the translated error instead of the raw one, however it fails: its own I/O and destroy(error)
 * both end in emit("error"), and so do streams that emit errors directly (the Encryption SDK's). Listeners,
 * pipeline() and `for await` then see the owner's AppError. No extra stream, so no extra copy of the bytes.
 * (A finished() attached after the failure reads the stream's raw `errored`: owners translate those calls too.)
 */
export function translateStreamErrors<T extends Readable | Writable>(stream: T, translate: (error: Error) => Error): T {
  const emit = stream.emit.bind(stream) as (event: string | symbol, ...args: unknown[]) => boolean;
  stream.emit = ((event: string | symbol, ...args: unknown[]) =>
    event === "error" && args[0] instanceof Error ? emit(event, translate(args[0])) : emit(event, ...args)) as T["emit"];
  return stream;
}
