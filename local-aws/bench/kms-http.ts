import { createHash, createHmac } from "node:crypto";
import { connect, type Socket } from "node:net";

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

interface Pending {
  resolve: (body: Record<string, unknown>) => void;
  reject: (error: Error) => void;
  operation: string;
}

/**
 * A load generator's KMS client: SigV4-signed JSON 1.1 requests over one keep-alive HTTP/1.1 connection, one request
 * at a time, parsed by Content-Length. Like wrk, it does the least a client can, so that on a 2-core machine the
 * figures measure local-aws; the AWS SDK (about 3 ms of CPU per call here) or node:http would measure themselves.
 */
export class KmsHttpClient {
  private readonly socket: Socket;
  private readonly host: string;
  private readonly keyCache = new Map<string, Buffer>();
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;

  constructor(
    endpoint: string,
    private readonly region: string,
    private readonly credentials: SessionCredentials,
  ) {
    const url = new URL(endpoint);
    this.host = url.host;
    this.socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
    this.socket.on("data", (chunk: Buffer) => this.onData(chunk));
    this.socket.on("error", (error) => this.pending?.reject(error));
  }

  private signingKey(date: string): Buffer {
    let key = this.keyCache.get(date);
    if (!key) {
      const hmac = (k: string | Buffer, d: string) => createHmac("sha256", k).update(d).digest();
      key = hmac(hmac(hmac(hmac(`AWS4${this.credentials.secretAccessKey}`, date), this.region), "kms"), "aws4_request");
      this.keyCache.set(date, key);
    }
    return key;
  }

  call(operation: string, input: object): Promise<Record<string, unknown>> {
    if (this.pending) return Promise.reject(new Error("one request at a time per connection"));
    const body = JSON.stringify(input);
    const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
    const date = amzDate.slice(0, 8);
    const target = `TrentService.${operation}`;
    const contentType = "application/x-amz-json-1.1";
    const signedHeaders = "content-type;host;x-amz-date;x-amz-security-token;x-amz-target";
    const canonical = [
      "POST",
      "/",
      "",
      `content-type:${contentType}\nhost:${this.host}\nx-amz-date:${amzDate}\nx-amz-security-token:${this.credentials.sessionToken}\nx-amz-target:${target}\n`,
      signedHeaders,
      createHash("sha256").update(body).digest("hex"),
    ].join("\n");
    const scope = `${date}/${this.region}/kms/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash("sha256").update(canonical).digest("hex")}`;
    const signature = createHmac("sha256", this.signingKey(date)).update(toSign).digest("hex");
    const head =
      `POST / HTTP/1.1\r\nhost: ${this.host}\r\ncontent-type: ${contentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `x-amz-date: ${amzDate}\r\nx-amz-security-token: ${this.credentials.sessionToken}\r\nx-amz-target: ${target}\r\n` +
      `authorization: AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, operation };
      this.socket.write(head + body);
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const headerEnd = this.buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0 || !this.pending) return;
    const head = this.buffer.subarray(0, headerEnd).toString("latin1");
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffer.length < headerEnd + 4 + length) return;
    const text = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
    this.buffer = this.buffer.subarray(headerEnd + 4 + length);
    const { resolve, reject, operation } = this.pending;
    this.pending = null;
    const status = head.slice(9, 12);
    if (status !== "200") reject(new Error(`${operation}: HTTP ${status} ${text}`));
    else resolve(JSON.parse(text) as Record<string, unknown>);
  }

  close(): void {
    this.socket.destroy();
  }
}
