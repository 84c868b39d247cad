import { createHash, createHmac } from "node:crypto";
import { Agent, request } from "node:http";

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/**
 * A minimal KMS JSON 1.1 client: SigV4 over keep-alive HTTP, nothing else. The AWS SDK spends a few milliseconds of
 * CPU per call, which on a 2-core machine would measure the benchmark's own process rather than local-aws.
 */
export class KmsHttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly host: string;
  private readonly keyCache = new Map<string, Buffer>();

  constructor(
    private readonly endpoint: string,
    private readonly region: string,
    private readonly credentials: SessionCredentials,
  ) {
    this.host = new URL(endpoint).host;
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
    return new Promise((resolve, reject) => {
      const req = request(
        this.endpoint,
        {
          method: "POST",
          agent: this.agent,
          headers: {
            "content-type": contentType,
            "content-length": Buffer.byteLength(body),
            "x-amz-date": amzDate,
            "x-amz-security-token": this.credentials.sessionToken,
            "x-amz-target": target,
            authorization: `AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode !== 200) reject(new Error(`${operation}: HTTP ${res.statusCode} ${text}`));
            else resolve(JSON.parse(text) as Record<string, unknown>);
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
