// Free of server-only so that the custom server can validate configuration before Next starts.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type z } from "zod";
import { ConfigFileSchema, EnvironmentSchema, type OrganizationConfig } from "./schema";

export type { OrganizationConfig } from "./schema";

export interface AppConfig {
  region: string;
  awsEndpoint: string | undefined;
  exchangeKeyArn: string;
  organizations: ReadonlyMap<string, OrganizationConfig>;
  trustedProxies: string[];
  uploads: { maxBytes: number; frameBytes: number; staleAfterSeconds: number; sweepEverySeconds: number; partBytes: number; maxUnfinishedPerMember: number; maxUnfinishedBytesPerMember: number };
  http: HttpLimits;
  mfaMaxAgeSeconds: number;
  sessionMaxAgeSeconds: number;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Unset: blobs on local disk. */
  s3: S3Config | undefined;
  authSecret: string;
  production: boolean;
  logLevel: "info" | "debug";
}

/** The server front's bounds (server.ts, lib/http/body-limit.ts), in the units Node's server takes. */
export interface HttpLimits {
  maxBodyBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  idleTimeoutMs: number;
  uploadRateWindowMs: number;
  uploadMinBytes: number;
}

export interface S3Config {
  bucket: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  serverSideEncryption: "AES256" | "aws:kms" | undefined;
  sseKmsKeyId: string | undefined;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function describeIssues(source: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => `  ${source}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  return `Keybridge configuration is invalid:\n${lines.join("\n")}`;
}

/** Parses the environment and the config file it names; throws a ConfigError naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsedEnv = EnvironmentSchema.safeParse(env);
  if (!parsedEnv.success) throw new ConfigError(describeIssues("environment", parsedEnv.error));
  const vars = parsedEnv.data;
  const path = resolve(vars.KEYBRIDGE_CONFIG);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`Keybridge configuration is invalid:\n  KEYBRIDGE_CONFIG: cannot read ${path} as JSON (${(error as Error).message})`);
  }
  const parsedFile = ConfigFileSchema.safeParse(raw);
  if (!parsedFile.success) throw new ConfigError(describeIssues(path, parsedFile.error));
  const file = parsedFile.data;
  return {
    region: file.aws.region,
    awsEndpoint: vars.KEYBRIDGE_AWS_ENDPOINT ?? file.aws.endpoint,
    exchangeKeyArn: file.aws.exchangeKeyArn,
    organizations: new Map(file.organizations.map((org) => [org.slug, org])),
    trustedProxies: file.trustedProxies,
    uploads: file.uploads,
    http: {
      maxBodyBytes: file.http.maxBodyBytes,
      headersTimeoutMs: file.http.headersTimeoutSeconds * 1000,
      requestTimeoutMs: file.http.requestTimeoutSeconds * 1000,
      keepAliveTimeoutMs: file.http.keepAliveTimeoutSeconds * 1000,
      idleTimeoutMs: file.http.idleTimeoutSeconds * 1000,
      uploadRateWindowMs: file.http.uploadRateWindowSeconds * 1000,
      uploadMinBytes: file.http.uploadMinBytes,
    },
    mfaMaxAgeSeconds: file.mfa.maxAgeSeconds,
    sessionMaxAgeSeconds: file.session.maxAgeSeconds,
    dataDir: resolve(vars.KEYBRIDGE_DATA_DIR),
    databaseUrl: vars.DATABASE_URL,
    s3: vars.S3_BUCKET
      ? { bucket: vars.S3_BUCKET, endpoint: vars.S3_ENDPOINT, forcePathStyle: vars.S3_FORCE_PATH_STYLE === "true", serverSideEncryption: vars.S3_SSE, sseKmsKeyId: vars.S3_SSE_KMS_KEY_ID }
      : undefined,
    authSecret: vars.NEXTAUTH_SECRET,
    production: vars.NODE_ENV === "production",
    logLevel: vars.KEYBRIDGE_LOG_LEVEL,
  };
}
