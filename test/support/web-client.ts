import { createHash } from "node:crypto";
import { UPLOADS_PATH, type CreatedUpload } from "../../lib/contract/transfer";
import { DEMO_PASSWORD, DEMO_USERS } from "../../scripts/demo-users";
import { completeUpload, putPart } from "./parted-upload";
import { nextTotpCode } from "./totp-codes";

export interface UploadResponse {
  exchangeId?: string;
  size?: number;
  sha256?: string;
  partCount?: number;
  error?: { code: string; message: string };
}

export type DemoEmail = (typeof DEMO_USERS)[number]["email"];

/** A browser-like HTTP client with a cookie jar, signed in through next-auth's real credentials flow. */
export class WebClient {
  constructor(
    readonly baseUrl: string,
    private readonly cookies = new Map<string, string>(),
  ) {}

  /** The same person, cookie jar shared, talking to another instance (as a load balancer would send them). */
  at(baseUrl: string): WebClient {
    return new WebClient(baseUrl, this.cookies);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", this.cookieHeader());
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Returns next-auth's error code, or null on success. */
  async signIn(email: string, options: { password?: string; code?: string | null } = {}): Promise<string | null> {
    const csrf = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const user = DEMO_USERS.find((candidate) => candidate.email === email);
    const code = options.code === undefined ? (user ? await nextTotpCode(user.totpSecret) : "") : (options.code ?? "");
    const body = new URLSearchParams({ csrfToken: csrf.csrfToken, email, password: options.password ?? DEMO_PASSWORD, code, json: "true" });
    const response = await this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    const location = response.headers.get("location") ?? ((await response.json().catch(() => ({}))) as { url?: string }).url ?? "";
    const error = new URL(location, this.baseUrl).searchParams.get("error");
    if (!error && ![...this.cookies.keys()].some((name) => name.endsWith("next-auth.session-token"))) return "no_session_cookie";
    return error;
  }

  static async signedIn(baseUrl: string, email: DemoEmail): Promise<WebClient> {
    const client = new WebClient(baseUrl);
    const error = await client.signIn(email);
    if (error) throw new Error(`sign-in of ${email} failed: ${error}`);
    return client;
  }

  /**
   * Sends a file exactly as the browser does (lib/contract/transfer.ts): create, each part with its SHA-256, complete
   * with the whole file's. A stream is cut into parts as it is read, so a large file is never held whole. Returns the
   * status and body of the first refusal, or of the completion.
   */
  async upload(input: UploadInput): Promise<{ status: number; body: UploadResponse; exchangeId?: string }> {
    const created = await this.fetch(UPLOADS_PATH, {
      method: "POST",
      headers: { "content-type": "application/json", ...input.headers },
      body: JSON.stringify({
        recipientOrg: input.recipientOrg,
        fileName: input.fileName,
        contentType: "application/octet-stream",
        message: input.message ?? "",
        size: input.size,
        recipientUserIds: input.recipientUserIds ?? [],
        maxDownloads: input.maxDownloads ?? null,
      }),
    });
    const createdBody = (await created.json()) as UploadResponse & Partial<CreatedUpload>;
    if (created.status !== 201 || !createdBody.exchangeId || !createdBody.partBytes || !createdBody.partCount) return { status: created.status, body: createdBody };
    const exchangeId = createdBody.exchangeId;
    const whole = createHash("sha256");
    const parts = partsOf(input.content, createdBody.partBytes);
    for (let partNumber = 1; partNumber <= createdBody.partCount; partNumber += 1) {
      const bytes = (await parts.next()).value ?? new Uint8Array(0);
      whole.update(bytes);
      const stored = await putPart(this, exchangeId, partNumber, bytes, { headers: input.headers ?? {} });
      if (stored.status !== 200) return { status: stored.status, body: (await stored.json().catch(() => ({}))) as UploadResponse, exchangeId };
    }
    const completed = await completeUpload(this, exchangeId, input.declaredSha256 ?? whole.digest("hex"), input.headers);
    return { status: completed.status, body: (await completed.json().catch(() => ({}))) as UploadResponse, exchangeId };
  }
}

export interface UploadInput {
  recipientOrg: string;
  fileName: string;
  content: Uint8Array | ReadableStream<Uint8Array>;
  size: number;
  message?: string;
  /** Only these people of the recipient organization may download (default: all of them). */
  recipientUserIds?: string[];
  maxDownloads?: number | null;
  /** Declared at completion instead of the content's real SHA-256: a sender's client that lies or is wrong. */
  declaredSha256?: string;
  headers?: Record<string, string>;
}

/** The content cut into `partBytes` slices, read from a stream only as far as the next part needs. */
async function* partsOf(content: Uint8Array | ReadableStream<Uint8Array>, partBytes: number): AsyncGenerator<Uint8Array> {
  if (!(content instanceof ReadableStream)) {
    for (let offset = 0; offset < content.length; offset += partBytes) yield content.subarray(offset, offset + partBytes);
    return;
  }
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of content as unknown as AsyncIterable<Uint8Array>) {
    pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    pendingBytes += chunk.byteLength;
    while (pendingBytes >= partBytes) {
      const joined = Buffer.concat(pending);
      yield joined.subarray(0, partBytes);
      pending = [joined.subarray(partBytes)];
      pendingBytes -= partBytes;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}
