import { z } from "zod";

const accountId = z.string().regex(/^\d{12}$/, "an account id is 12 digits");
const tags = z.record(z.string().min(1).max(128), z.string().max(256));
const conditionValue = z.union([z.string(), z.number(), z.boolean()]);
const stringOrList = z.union([z.string(), z.array(z.string()).min(1)]);

export const PolicyStatementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(["Allow", "Deny"]),
    Principal: z.union([z.literal("*"), z.record(z.string(), stringOrList)]).optional(),
    NotPrincipal: z.record(z.string(), stringOrList).optional(),
    Action: stringOrList.optional(),
    NotAction: stringOrList.optional(),
    Resource: stringOrList.optional(),
    NotResource: stringOrList.optional(),
    Condition: z.record(z.string(), z.record(z.string(), z.union([conditionValue, z.array(conditionValue)]))).optional(),
  })
  .strict()
  .refine((s) => (s.Action === undefined) !== (s.NotAction === undefined), "a statement needs exactly one of Action and NotAction");

export const PolicyDocumentSchema = z
  .object({
    Version: z.enum(["2012-10-17", "2008-10-17"]).optional(),
    Id: z.string().optional(),
    Statement: z.union([PolicyStatementSchema, z.array(PolicyStatementSchema)]),
  })
  .strict();

const namedPolicy = z.object({ name: z.string().min(1), document: PolicyDocumentSchema }).strict();

const accessKey = z
  .object({
    accessKeyId: z.string().regex(/^AKIA[A-Z0-9]{12,124}$/, "a long-term access key id starts with AKIA"),
    secretAccessKey: z.string().min(16),
    status: z.enum(["Active", "Inactive"]).default("Active"),
  })
  .strict();

const mfaDevice = z
  .object({
    serialNumber: z.string().regex(/^arn:aws:iam::\d{12}:mfa\/[\w+=,.@/-]+$/, "an MFA serial number is an arn:aws:iam::ACCOUNT:mfa/NAME"),
    /** Base32 TOTP secret (RFC 6238, SHA-1, 6 digits, 30 s), as an authenticator app would hold it. */
    secret: z.string().regex(/^[A-Z2-7]+=*$/, "a TOTP secret is base32"),
  })
  .strict();

const iamName = z.string().regex(/^[\w+=,.@-]{1,64}$/, "IAM names use letters, digits and +=,.@_-");
const iamPath = z.string().regex(/^\/([\x21-\x7e]*\/)?$/, "an IAM path starts and ends with /").default("/");

export const UserSchema = z
  .object({
    account: accountId,
    name: iamName,
    path: iamPath,
    accessKeys: z.array(accessKey).default([]),
    policies: z.array(namedPolicy).default([]),
    tags: tags.default({}),
    mfaDevices: z.array(mfaDevice).default([]),
  })
  .strict();

export const RoleSchema = z
  .object({
    account: accountId,
    name: iamName,
    path: iamPath,
    trustPolicy: PolicyDocumentSchema,
    policies: z.array(namedPolicy).default([]),
    tags: tags.default({}),
    maxSessionDuration: z.number().int().min(3600).max(43200).default(3600),
  })
  .strict();

export const KeySchema = z
  .object({
    account: accountId,
    /** Fixed key id (a UUID) so that ARNs in configs and policies stay stable. */
    id: z.string().uuid(),
    description: z.string().max(8192).default(""),
    keySpec: z.enum(["SYMMETRIC_DEFAULT"]).default("SYMMETRIC_DEFAULT"),
    keyUsage: z.enum(["ENCRYPT_DECRYPT"]).default("ENCRYPT_DECRYPT"),
    policy: PolicyDocumentSchema,
    aliases: z.array(z.string().regex(/^alias\/[a-zA-Z0-9/_-]+$/, "an alias name is alias/ followed by letters, digits, /, _ or -").refine((a) => !a.startsWith("alias/aws/"), "alias/aws/ is reserved for AWS managed keys")).default([]),
    tags: tags.default({}),
    enabled: z.boolean().default(true),
    rotationEnabled: z.boolean().default(false),
  })
  .strict();

export const WorldSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region looks like eu-west-1").default("us-east-1"),
    accounts: z.array(z.object({ id: accountId, alias: z.string().optional() }).strict()).min(1),
    users: z.array(UserSchema).default([]),
    roles: z.array(RoleSchema).default([]),
    keys: z.array(KeySchema).default([]),
  })
  .strict();

export type World = z.infer<typeof WorldSchema>;
export type WorldUser = z.infer<typeof UserSchema>;
export type WorldRole = z.infer<typeof RoleSchema>;
export type WorldKey = z.infer<typeof KeySchema>;
export type ParsedPolicyDocument = z.infer<typeof PolicyDocumentSchema>;
