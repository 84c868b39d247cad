import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CLOUDTRAIL_TARGET_PREFIXES, createCloudTrailService, TrailStore, type TrailRecord } from "./cloudtrail";
import { AwsError, DropConnection, type CallInfo, type Caller, type HandlerResult } from "./contracts";
import { callDetailsOf } from "./events/failed-call";
import { EventLog } from "./events/log";
import { eventRecord, type EventSource } from "./events/record";
import { unauthenticatedIdentity, userIdentity } from "./events/user-identity";
import { CONTROL_PREFIX, CONTROLS_OFF, createControlApi, type ControlResponse } from "./faults/control-api";
import type { FaultInjector } from "./faults/inject";
import { createKmsService } from "./kms";
import { AuthFailure, authFailureToAwsError } from "./sigv4/errors";
import { readSignedRequest, verifySignature, type SigningService } from "./sigv4/verify";
import { MasterKey } from "./state/master-key";
import { QueryParams, createStsService, stsErrorXml, stsSuccessXml } from "./sts";
import type { World } from "./world/schema";

/** KMS accepts requests of about 1 MB at most; anything larger is refused before it is buffered. */
const MAX_BODY_BYTES = 1024 * 1024;

/** One authenticated operation on its way to its service handler. */
export interface OperationRequest {
  service: SigningService;
  operation: string;
  /** Parsed JSON for KMS and CloudTrail, QueryParams for STS. */
  input: unknown;
  call: CallInfo;
}

/**
 * Wraps every authenticated operation (fault injection, latency, ...): call `next()` to run the handler, or throw an
 * AwsError (answered and logged as a failed call) or a DropConnection (no answer at all).
 */
export type OperationMiddleware = (request: OperationRequest, next: () => Promise<HandlerResult>) => Promise<HandlerResult>;

export interface ServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  world: World;
  /** Persistent state (master key, KMS keys); null keeps everything in memory. */
  stateDir: string | null;
  eventLogPath: string | null;
  middleware?: OperationMiddleware[];
  /** Test-only: serve the control API under /__local-aws/ (main.ts --test-controls); without it those paths are 404. */
  testControls?: { faults: FaultInjector };
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

/** How much of an oversized body is read and discarded before the refusal, so the client can read the 413. */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

/**
 * Refuses an oversized body once the client has finished sending it (up to a bound): answering while it is still
 * writing closes the connection under it, and the client sees a reset instead of the 413.
 */
function refuseAfterDraining(req: IncomingMessage, reject: (error: Error) => void, alreadyRead: number): void {
  let drained = alreadyRead;
  req.removeAllListeners("data");
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) reject(new BodyTooLarge());
  });
  req.on("end", () => reject(new BodyTooLarge()));
  req.resume();
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > DRAIN_LIMIT_BYTES) return reject(new BodyTooLarge());
    if (declared > MAX_BODY_BYTES) return refuseAfterDraining(req, reject, 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (!refused) {
        refused = true;
        refuseAfterDraining(req, reject, size);
      }
    });
    req.on("end", () => refused || resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; AWS logs and matches them as plain IPv4. */
const plainIp = (address: string | undefined): string => (address ?? "").replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const pathOf = (url: string | undefined): string => (url ?? "/").split("?", 1)[0] as string;

/** JSON 1.1 services by their X-Amz-Target prefix. */
const JSON_TARGETS: Array<[prefix: string, service: SigningService]> = [
  ["TrentService.", "kms"],
  ...CLOUDTRAIL_TARGET_PREFIXES.map((prefix): [string, SigningService] => [prefix, "cloudtrail"]),
];

function jsonServiceOf(target: string): { service: SigningService; operation: string } {
  const match = JSON_TARGETS.find(([prefix]) => target.startsWith(prefix));
  return match ? { service: match[1], operation: target.slice(match[0].length) } : { service: "kms", operation: target };
}

/** What the request looks like before authentication: JSON 1.1 with X-Amz-Target (KMS, CloudTrail) or the Query protocol (STS). */
function wireOf(req: IncomingMessage, body: Buffer): { service: SigningService; operation: string; query: QueryParams | null } {
  const target = header(req, "x-amz-target");
  if (target !== undefined) return { ...jsonServiceOf(target), query: null };
  const queryAt = (req.url ?? "").indexOf("?");
  const text = req.method === "POST" ? body.toString("utf8") : queryAt < 0 ? "" : (req.url ?? "").slice(queryAt + 1);
  const query = QueryParams.parse(text);
  return { service: "sts", operation: query.get("Action") ?? "", query };
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const masterKey = MasterKey.loadOrCreate(options.stateDir);
  const region = options.world.region;
  const sts = createStsService({ world: options.world, masterKey });
  const kms = createKmsService({ world: options.world, masterKey, stateDir: options.stateDir, region });
  // Read before the log is opened for appending, so that LookupEvents also answers for earlier runs.
  const trail = TrailStore.fromLogFile(options.eventLogPath);
  const cloudtrail = createCloudTrailService(trail);
  const events = EventLog.open(options.eventLogPath);
  const middleware = options.middleware ?? [];
  const controlApi = options.testControls ? createControlApi({ faults: options.testControls.faults, sessions: sts.callers }) : null;

  function dispatch(request: OperationRequest): Promise<HandlerResult> {
    const run = (): Promise<HandlerResult> => {
      if (request.service === "sts") return sts.handle(request.operation, request.input as QueryParams, request.call);
      if (request.service === "cloudtrail") return cloudtrail.handle(request.operation, request.input, request.call);
      return kms.handle(request.operation, request.input, request.call);
    };
    return middleware.reduceRight<() => Promise<HandlerResult>>((next, layer) => () => layer(request, next), run)();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const now = new Date();
    const sourceIp = plainIp(req.socket.remoteAddress);
    const userAgent = header(req, "user-agent") ?? "";
    const target = header(req, "x-amz-target");
    let service: SigningService = target !== undefined ? jsonServiceOf(target).service : "sts";
    let operation = "";
    let eventRegion = region;
    let caller: Caller | undefined;
    let claimedKeyId: string | undefined;
    let result: HandlerResult | undefined;
    let failure: AwsError | undefined;
    let failedDetails = {};
    try {
      const body = await readBody(req);
      const wire = wireOf(req, body);
      operation = wire.operation;
      const signed = readSignedRequest({ method: req.method ?? "GET", rawUrl: req.url ?? "/", rawHeaders: req.rawHeaders, headers: req.headers, body }, now);
      ({ service } = signed);
      eventRegion = signed.authorization.region;
      claimedKeyId = signed.authorization.accessKeyId;
      const resolved = sts.callers.resolve(claimedKeyId, signed.sessionToken, now);
      caller = resolved.caller;
      verifySignature(signed, resolved.secretAccessKey);
      const call: CallInfo = { caller, sourceIp, userAgent, secureTransport: false, requestId, now, region: eventRegion };
      if (service !== wire.service) throw new AwsError(service === "sts" ? "InvalidAction" : "UnknownOperationException", `Unknown operation ${operation || "(none)"}`);
      const input = service === "sts" ? (wire.query ?? QueryParams.parse("")) : parseJsonInput(body);
      result = await dispatch({ service, operation, input, call });
    } catch (error) {
      if (error instanceof DropConnection) {
        res.destroy();
        return;
      }
      failure = toAwsError(error, service);
      failedDetails = callDetailsOf(error);
      // The rest of an oversized body is never read, so the connection cannot carry another request.
      if (error instanceof BodyTooLarge) res.shouldKeepAlive = false;
    }
    if (failure) sendError(res, service, failure, requestId);
    else sendResult(res, service, operation, result as HandlerResult, requestId);
    const record = eventRecord({
        eventSource: `${service}.amazonaws.com` as EventSource,
        eventName: operation || "Unknown",
        eventTime: now,
        region: eventRegion,
        sourceIp,
        userAgent,
        requestId,
        userIdentity: caller ? userIdentity(caller) : unauthenticatedIdentity(claimedKeyId),
        recipientAccountId: (result?.resources ?? callDetailsOf(failure).resources)?.[0]?.accountId ?? caller?.accountId,
        result: failure ? failedDetails : result,
        ...(failure && { error: { code: failure.code, message: failure.message } }),
    }) as TrailRecord;
    events.write(record);
    trail.add(record);
  }

  // Not AWS calls: unsigned, and never in the event log.
  async function serveControl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let response: ControlResponse = CONTROLS_OFF;
    if (controlApi) {
      try {
        const body = await readBody(req);
        response = await controlApi({ method: req.method ?? "GET", path: pathOf(req.url), body });
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        res.shouldKeepAlive = false;
        response = { status: 413, json: { message: `The request body exceeds ${MAX_BODY_BYTES} bytes.` } };
      }
    }
    const text = response.json === undefined ? "" : JSON.stringify(response.json);
    res.writeHead(response.status, { ...(text && { "Content-Type": "application/json" }), "Content-Length": Buffer.byteLength(text), ...response.headers });
    res.end(text);
  }

  const server = createServer((req, res) => {
    const serve = pathOf(req.url).startsWith(CONTROL_PREFIX) ? serveControl : handle;
    serve(req, res).catch((error: unknown) => {
      console.error("local-aws: request failed outside its handler:", error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  // SDK agents keep idle sockets for a while; outliving them avoids resets on reuse.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await events.close();
    },
  };
}

function parseJsonInput(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new AwsError("SerializationException", "The request body is not valid JSON.");
  }
}

function toAwsError(error: unknown, service: SigningService): AwsError {
  if (error instanceof AuthFailure) return authFailureToAwsError(error, service);
  if (error instanceof AwsError) return error;
  if (error instanceof BodyTooLarge) return new AwsError(service === "sts" ? "ValidationError" : "ValidationException", `The request body exceeds ${MAX_BODY_BYTES} bytes.`, 413);
  console.error("local-aws: internal error:", error);
  return service !== "sts"
    ? new AwsError("KMSInternalException", "The request was rejected because an internal exception occurred. The request can be retried.", 500)
    : new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
}

function send(res: ServerResponse, status: number, contentType: string, body: string, requestId: string, extraHeaders: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), "x-amzn-RequestId": requestId, ...extraHeaders });
  res.end(body);
}

function sendResult(res: ServerResponse, service: SigningService, operation: string, result: HandlerResult, requestId: string): void {
  if (service !== "sts") send(res, 200, "application/x-amz-json-1.1", JSON.stringify(result.output), requestId);
  else send(res, 200, "text/xml", stsSuccessXml(operation, result.output, requestId), requestId);
}

function sendError(res: ServerResponse, service: SigningService, error: AwsError, requestId: string): void {
  // JSON 1.1 services name the error twice, in x-amzn-ErrorType and in __type; SDKs read the header first.
  if (service !== "sts") send(res, error.httpStatus, "application/x-amz-json-1.1", JSON.stringify({ __type: error.code, message: error.message }), requestId, { "x-amzn-ErrorType": error.code });
  else send(res, error.httpStatus, "text/xml", stsErrorXml(error.code, error.message, requestId, error.httpStatus), requestId);
}
