// The test-only control API of a local-aws started with --test-controls: plain, unsigned HTTP under /__local-aws/.

export const putFaults = (url: string, rules: unknown): Promise<Response> =>
  fetch(`${url}/__local-aws/faults`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: typeof rules === "string" ? rules : JSON.stringify(rules) });

/** Replaces the fault rules, failing the test unless local-aws took them. */
export async function setFaults(url: string, rules: unknown[]): Promise<void> {
  const response = await putFaults(url, rules);
  if (response.status !== 204) throw new Error(`PUT /__local-aws/faults answered ${response.status}: ${await response.text()}`);
}

export const getFaults = (url: string): Promise<Response> => fetch(`${url}/__local-aws/faults`);

export const expireSessions = (url: string): Promise<Response> => fetch(`${url}/__local-aws/expire-sessions`, { method: "POST" });
