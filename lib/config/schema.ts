import { z } from "zod";
import { isIP } from "node:net";

const cidr = z.string().refine((value) => {
  const [address, bits, extra] = value.split("/");
  if (extra !== undefined || !address || !bits || !/^\d{1,3}$/.test(bits)) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}, "must be a CIDR block such as 203.0.113.0/24 or 2001:db8::/32");

const orgSlug = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, "must be 2-32 lowercase letters, digits or dashes");

export const OrganizationConfigSchema = z
  .object({
    slug: orgSlug,
    displayName: z.string().min(1).max(100),
    roleArn: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN"),
    externalId: z.string().min(2).max(1224).regex(/^[\w+=,.@:/-]+$/, "may use letters, digits and +=,.@:/-"),
    /** Networks the organization's people may upload from; empty means anywhere. */
    uploadNetworks: z.array(cidr).default([]),
    /** Organizations this one may send exchanges to. */
    sendsTo: z.array(orgSlug).default([]),
  })
  .strict();

export const ConfigFileSchema = z
  .object({
    aws: z
      .object({
        region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-1"),
        /** The local-aws URL in development; unset for real AWS. */
        endpoint: z.url({ protocol: /^https?$/ }).optional(),
        exchangeKeyArn: z.string().regex(/^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, "must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)"),
      })
      .strict(),
    organizations: z.array(OrganizationConfigSchema).min(1),
    /** Proxies whose X-Forwarded-For is believed; empty means the socket address is the client. */
    trustedProxies: z.array(cidr).default([]),
    uploads: z
      .object({
        maxBytes: z.number().int().min(1).max(1024 ** 4).default(5 * 1024 ** 3),
        frameBytes: z.number().int().min(4096).max(4 * 1024 * 1024).default(1024 * 1024),
        /** How long an upload that never finished keeps its row and partial blob before cleanup. */
        staleAfterSeconds: z.number().int().min(10).default(24 * 3600),
        /** How often each instance looks for stale uploads and abandoned blobs. */
        sweepEverySeconds: z.number().int().min(1).max(24 * 3600).default(600),
        /** Plaintext bytes per part of a parted upload: below common proxy body limits, and the most a part buffers on download. */
        partBytes: z.number().int().min(64 * 1024).max(256 * 1024 * 1024).default(16 * 1024 * 1024),
        /** Uploads one member may have started and not finished at once; more waits until some finish or are discarded. */
        maxUnfinishedPerMember: z.number().int().min(1).max(10_000).default(20),
        /** The declared bytes of one member's unfinished uploads together. */
        maxUnfinishedBytesPerMember: z.number().int().min(1).max(1024 ** 5).default(20 * 1024 ** 3),
      })
      .strict()
      .default({ maxBytes: 5 * 1024 ** 3, frameBytes: 1024 * 1024, staleAfterSeconds: 24 * 3600, sweepEverySeconds: 600, partBytes: 16 * 1024 * 1024, maxUnfinishedPerMember: 20, maxUnfinishedBytesPerMember: 20 * 1024 ** 3 }),
    /** The Node server front: how much and how slowly a client may send before it is refused or cut off. */
    http: z
      .object({
        /** Body bytes of any request but the streamed upload routes: forms, server actions and JSON are far smaller. */
        maxBodyBytes: z.number().int().min(16 * 1024).max(16 * 1024 * 1024).default(64 * 1024),
        /** From connection (or the end of the previous request) until the request's headers have all arrived. */
        headersTimeoutSeconds: z.number().int().min(1).max(600).default(20),
        /** From the headers until the body has all arrived, for every request but the streamed upload routes. */
        requestTimeoutSeconds: z.number().int().min(1).max(3600).default(30),
        keepAliveTimeoutSeconds: z.number().int().min(1).max(600).default(5),
        /** A connection with no traffic either way for this long is closed (a client that stopped reading a download). */
        idleTimeoutSeconds: z.number().int().min(5).max(3600).default(120),
        /** Uploads have no overall deadline; instead each window must bring at least uploadMinBytes. */
        uploadRateWindowSeconds: z.number().int().min(1).max(600).default(30),
        uploadMinBytes: z.number().int().min(1).max(1024 ** 3).default(64 * 1024),
      })
      .strict()
      .default({ maxBodyBytes: 64 * 1024, headersTimeoutSeconds: 20, requestTimeoutSeconds: 30, keepAliveTimeoutSeconds: 5, idleTimeoutSeconds: 120, uploadRateWindowSeconds: 30, uploadMinBytes: 64 * 1024 }),
    mfa: z
      .object({ maxAgeSeconds: z.number().int().min(60).max(12 * 3600).default(600) })
      .strict()
      .default({ maxAgeSeconds: 600 }),
    session: z
      .object({ maxAgeSeconds: z.number().int().min(300).max(30 * 24 * 3600).default(8 * 3600) })
      .strict()
      .default({ maxAgeSeconds: 8 * 3600 }),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.uploads.maxUnfinishedBytesPerMember < config.uploads.maxBytes)
      ctx.addIssue({ code: "custom", path: ["uploads", "maxUnfinishedBytesPerMember"], message: "must be at least uploads.maxBytes, or the largest allowed file could never be started" });
    const slugs = new Set<string>();
    config.organizations.forEach((org, index) => {
      if (slugs.has(org.slug)) ctx.addIssue({ code: "custom", path: ["organizations", index, "slug"], message: `duplicate organization "${org.slug}"` });
      slugs.add(org.slug);
    });
    config.organizations.forEach((org, index) => {
      org.sendsTo.forEach((target, targetIndex) => {
        if (!slugs.has(target) || target === org.slug)
          ctx.addIssue({ code: "custom", path: ["organizations", index, "sendsTo", targetIndex], message: `"${target}" is not another configured organization` });
      });
    });
  });

export const EnvironmentSchema = z.object({
  KEYBRIDGE_CONFIG: z.string().min(1).default("config/keybridge.demo.json"),
  KEYBRIDGE_DATA_DIR: z.string().min(1).default("./data"),
  /** Overrides aws.endpoint from the file (tests and the demo point it at their local-aws). */
  KEYBRIDGE_AWS_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  /** Set for S3 blob storage (needed by several instances); unset keeps blobs on local disk under KEYBRIDGE_DATA_DIR. */
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name (3-63 lowercase letters, digits, dots, dashes)").optional(),
  /** An S3-compatible endpoint instead of AWS's. */
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_FORCE_PATH_STYLE: z.enum(["true", "false"], "must be true or false").default("false"),
  /** Server-side encryption on top of the Encryption SDK's, passed through to S3 as configured. */
  S3_SSE: z.enum(["AES256", "aws:kms"], "must be AES256 or aws:kms").optional(),
  S3_SSE_KMS_KEY_ID: z.string().min(1).optional(),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters of random data (openssl rand -base64 32)"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** debug adds the AWS SDK's request log (sensitive fields masked by the SDK) to the server output. */
  KEYBRIDGE_LOG_LEVEL: z.enum(["info", "debug"], "must be info or debug").default("info"),
})
  .superRefine((env, ctx) => {
    if ((env.S3_ENDPOINT || env.S3_SSE) && !env.S3_BUCKET) ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "must be set when S3_ENDPOINT or S3_SSE is" });
    if (env.S3_SSE_KMS_KEY_ID && env.S3_SSE !== "aws:kms") ctx.addIssue({ code: "custom", path: ["S3_SSE_KMS_KEY_ID"], message: "needs S3_SSE=aws:kms" });
  });

export type ConfigFile = z.infer<typeof ConfigFileSchema>;
export type OrganizationConfig = z.infer<typeof OrganizationConfigSchema>;
