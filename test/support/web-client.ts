import { DEMO_PASSWORD, DEMO_USERS } from "../../scripts/demo-users";
import { nextTotpCode } from "./totp-codes";

export interface UploadResponse {
  exchangeId?: string;
  size?: number;
  sha256?: string;
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

  /** Creates an exchange and streams `content` into it; returns the JSON of the last response and its status. */
  async upload(input: { recipientOrg: string; fileName: string; content: Uint8Array | ReadableStream<Uint8Array>; size: number; message?: string }) {
    const created = await this.fetch("/api/uploads", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ recipientOrg: input.recipientOrg, fileName: input.fileName, contentType: "application/octet-stream", message: input.message ?? "", size: input.size }),
    });
    const createdBody = (await created.json()) as UploadResponse & { contentUrl?: string };
    if (created.status !== 201 || !createdBody.contentUrl) return { status: created.status, body: createdBody as UploadResponse };
    const put = await this.fetch(createdBody.contentUrl, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: input.content as BodyInit,
      ...(input.content instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
    return { status: put.status, body: (await put.json()) as UploadResponse, exchangeId: createdBody.exchangeId };
  }
}
