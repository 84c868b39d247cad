import { setTimeout as sleep } from "node:timers/promises";
import type { FaultInjector } from "./inject";
import { FaultRulesError, parseFaultRules } from "./rules";

/** Test controls live under this path on the AWS port; no AWS API uses it. */
export const CONTROL_PREFIX = "/__local-aws/";

export interface ControlRequest {
  method: string;
  /** The URL path, without the query string. */
  path: string;
  body: Buffer;
}

export interface ControlResponse {
  status: number;
  /** Sent as application/json; none for 204. */
  json?: unknown;
  headers?: Record<string, string>;
}

export interface ControlTargets {
  faults: FaultInjector;
  sessions: { expireSessionsIssuedThrough(instant: number): void };
}

export type ControlApi = (request: ControlRequest) => Promise<ControlResponse>;

/** What every control path answers when local-aws runs without --test-controls. */
export const CONTROLS_OFF: ControlResponse = { status: 404, json: { message: "Not Found" } };

export function createControlApi({ faults, sessions }: ControlTargets): ControlApi {
  const routes: Record<string, Record<string, (body: Buffer) => Promise<ControlResponse>>> = {
    faults: {
      GET: async () => ({ status: 200, json: faults.list() }),
      PUT: async (body) => {
        try {
          faults.replace(parseFaultRules(body.toString("utf8")));
        } catch (error) {
          if (error instanceof FaultRulesError) return { status: 400, json: { message: error.message } };
          throw error;
        }
        return { status: 204 };
      },
    },
    "expire-sessions": {
      POST: async () => {
        const instant = Date.now();
        sessions.expireSessionsIssuedThrough(instant);
        // Sessions are told apart by their issue time in milliseconds: answering only once the clock has moved on
        // means that a session issued after this answer is never taken for one issued before it.
        while (Date.now() <= instant) await sleep(1);
        return { status: 204 };
      },
    },
  };

  return async ({ method, path, body }) => {
    const route = routes[path.slice(CONTROL_PREFIX.length)];
    if (!path.startsWith(CONTROL_PREFIX) || !route) return CONTROLS_OFF;
    const handler = route[method];
    if (!handler) return { status: 405, json: { message: `${method} is not allowed here` }, headers: { Allow: Object.keys(route).join(", ") } };
    return handler(body);
  };
}
