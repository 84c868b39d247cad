import type { WebClient } from "./web-client";

/** Posts the credentials form to next-auth's callback as if from `address` (x-forwarded-for), CSRF token included. */
export async function postCredentialsFrom(client: WebClient, address: string, fields: { email: string; password: string; code: string }): Promise<Response> {
  const headers = { "x-forwarded-for": address };
  const { csrfToken } = (await (await client.fetch("/api/auth/csrf", { headers })).json()) as { csrfToken: string };
  return client.fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, ...fields, json: "true" }),
  });
}
