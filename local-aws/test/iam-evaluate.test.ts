// Cases taken from the IAM User Guide ("Policy evaluation logic", "Condition operators", "Conditions with
// multiple context keys or values", "Variables and tags", "NotPrincipal", "Cross-account policy evaluation")
// and the KMS Developer Guide ("Default key policy", "Allowing users in other accounts", "Grants").
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Caller, CallInfo, ConditionContext, Decision, PolicyDocument, PolicyStatement } from "../src/contracts";
import { authorize, evaluatePolicy, globalConditionContext, type AuthorizationInput } from "../src/iam";

const ACME = "111111111111";
const GLOBEX = "222222222222";
const INITECH = "333333333333";
const KEY = `arn:aws:kms:eu-west-1:${ACME}:key/9d3e8a51-6b7c-4f2e-a1d4-5c6b7e8f9a01`;
const OTHER_KEY = `arn:aws:kms:eu-west-1:${ACME}:key/00000000-0000-4000-8000-000000000000`;
const NOW = new Date("2025-06-01T12:00:00.000Z");

function roleSession(account: string, role: string, session: string, over: Partial<Caller> = {}): Caller {
  return {
    type: "AssumedRole",
    accountId: account,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    principalArn: `arn:aws:iam::${account}:role/keybridge/${role}`,
    userId: `AROAEXAMPLEROLEID:${session}`,
    accessKeyId: "ASIAEXAMPLESESSION01",
    roleName: role,
    roleSessionName: session,
    identityPolicies: [],
    principalTags: {},
    sessionTags: {},
    transitiveTagKeys: [],
    mfaAuthenticated: false,
    sessionIssuedAt: new Date("2025-06-01T11:30:00.000Z"),
    sessionExpiresAt: new Date("2025-06-01T12:30:00.000Z"),
    ...over,
  };
}

function iamUser(account: string, name: string, over: Partial<Caller> = {}): Caller {
  return {
    type: "IAMUser",
    accountId: account,
    arn: `arn:aws:iam::${account}:user/${name}`,
    principalArn: `arn:aws:iam::${account}:user/${name}`,
    userId: "AIDAEXAMPLEUSERID001",
    accessKeyId: "AKIAEXAMPLEUSERKEY01",
    userName: name,
    identityPolicies: [],
    principalTags: {},
    sessionTags: {},
    transitiveTagKeys: [],
    mfaAuthenticated: false,
    ...over,
  };
}

function callOf(caller: Caller, over: Partial<CallInfo> = {}): CallInfo {
  return {
    caller,
    sourceIp: "127.0.0.1",
    userAgent: "aws-sdk-js/3.0",
    secureTransport: false,
    requestId: "00000000-0000-4000-8000-000000000001",
    now: NOW,
    region: "eu-west-1",
    ...over,
  };
}

function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

const uploader = roleSession(ACME, "uploader", "u-42");
const alice = iamUser(ACME, "alice");

// ---------------------------------------------------------------------------------------------------
// evaluatePolicy: one document at a time
// ---------------------------------------------------------------------------------------------------

interface EvalCase {
  name: string;
  doc: PolicyDocument;
  kind?: "identity" | "resource" | "session";
  action?: string;
  resource?: string;
  context?: ConditionContext;
  principal?: Caller;
  expect: Decision;
  sids?: string[];
}

const allowDecrypt = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: "Allow", Action: "kms:Decrypt", Resource: KEY, ...extra });
const denyDecrypt = (extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: "Deny", Action: "kms:Decrypt", Resource: KEY, ...extra });

/** One Allow statement whose only interesting part is its condition. */
function cond(name: string, condition: PolicyStatement["Condition"], context: ConditionContext, expect: Decision): EvalCase {
  return { name, doc: policy(allowDecrypt({ Condition: condition })), context, expect };
}

const evalCases: EvalCase[] = [
  // Action, Resource, Effect
  { name: "allow: exact action and resource", doc: policy(allowDecrypt()), expect: "Allow" },
  { name: "implicit deny: no statement for the action", doc: policy(allowDecrypt()), action: "kms:Encrypt", expect: "ImplicitDeny" },
  { name: "action names are case-insensitive", doc: policy(allowDecrypt({ Action: "KMS:decrypt" })), expect: "Allow" },
  { name: "action wildcard *", doc: policy(allowDecrypt({ Action: "kms:Generate*" })), action: "kms:GenerateDataKey", expect: "Allow" },
  { name: "action wildcard * does not match another prefix", doc: policy(allowDecrypt({ Action: "kms:Generate*" })), expect: "ImplicitDeny" },
  { name: "action wildcard ? matches one character", doc: policy(allowDecrypt({ Action: "kms:?ncrypt" })), action: "kms:Encrypt", expect: "Allow" },
  { name: "action wildcard ? does not match two", doc: policy(allowDecrypt({ Action: "kms:?crypt" })), expect: "ImplicitDeny" },
  { name: "action list: any entry matches", doc: policy(allowDecrypt({ Action: ["kms:Encrypt", "kms:Decrypt"] })), expect: "Allow" },
  { name: "explicit deny beats allow", doc: policy(allowDecrypt({ Sid: "Use" }), denyDecrypt({ Sid: "Never" })), expect: "ExplicitDeny", sids: ["Never"] },
  { name: "deny of another action does not deny", doc: policy(allowDecrypt(), { Effect: "Deny", Action: "kms:Encrypt", Resource: "*" }), expect: "Allow" },
  {
    name: "deny whose condition does not hold does not deny",
    doc: policy(allowDecrypt(), denyDecrypt({ Condition: { StringEquals: { "kms:EncryptionContext:purpose": "file-content" } } })),
    context: { "kms:EncryptionContext:purpose": ["metadata"] },
    expect: "Allow",
  },
  { name: "NotAction allows every other action", doc: policy({ Effect: "Allow", NotAction: "kms:Decrypt", Resource: "*" }), action: "kms:Encrypt", expect: "Allow" },
  { name: "NotAction does not allow the listed action", doc: policy({ Effect: "Allow", NotAction: "kms:Decrypt", Resource: "*" }), expect: "ImplicitDeny" },
  {
    name: "Deny with NotAction denies everything not listed",
    doc: policy({ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", NotAction: "kms:Describe*", Resource: "*" }),
    expect: "ExplicitDeny",
  },
  {
    name: "Deny with NotAction spares the listed actions",
    doc: policy({ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", NotAction: "kms:Describe*", Resource: "*" }),
    action: "kms:DescribeKey",
    expect: "Allow",
  },
  { name: "resource is case-sensitive", doc: policy(allowDecrypt({ Resource: KEY.toUpperCase() })), expect: "ImplicitDeny" },
  { name: "resource wildcard *", doc: policy(allowDecrypt({ Resource: `arn:aws:kms:*:${ACME}:key/*` })), expect: "Allow" },
  { name: "resource wildcard for another account", doc: policy(allowDecrypt({ Resource: `arn:aws:kms:*:${GLOBEX}:key/*` })), expect: "ImplicitDeny" },
  { name: "resource wildcard ?", doc: policy(allowDecrypt({ Resource: KEY.replace("9d3e", "9?3e") })), expect: "Allow" },
  { name: "resource list: any entry matches", doc: policy(allowDecrypt({ Resource: [OTHER_KEY, KEY] })), expect: "Allow" },
  { name: "resource of another key", doc: policy(allowDecrypt({ Resource: OTHER_KEY })), expect: "ImplicitDeny" },
  { name: "NotResource allows other resources", doc: policy({ Effect: "Allow", Action: "kms:Decrypt", NotResource: OTHER_KEY }), expect: "Allow" },
  { name: "NotResource excludes the listed resource", doc: policy({ Effect: "Allow", Action: "kms:Decrypt", NotResource: [OTHER_KEY, KEY] }), expect: "ImplicitDeny" },
  { name: "matchedSids lists every allowing statement", doc: policy(allowDecrypt({ Sid: "A" }), allowDecrypt({ Sid: "B", Resource: "*" }), allowDecrypt({ Sid: "C", Resource: OTHER_KEY })), expect: "Allow", sids: ["A", "B"] },
  { name: "Statement may be a single object", doc: { Version: "2012-10-17", Statement: allowDecrypt() }, expect: "Allow" },

  // String operators
  cond("StringEquals matches", { StringEquals: { "kms:EncryptionContext:sender-org": "acme" } }, { "kms:EncryptionContext:sender-org": ["acme"] }, "Allow"),
  cond("StringEquals is case-sensitive", { StringEquals: { "kms:EncryptionContext:sender-org": "acme" } }, { "kms:EncryptionContext:sender-org": ["Acme"] }, "ImplicitDeny"),
  cond("several values of one key are ORed", { StringEquals: { "kms:EncryptionContext:sender-org": ["globex", "acme"] } }, { "kms:EncryptionContext:sender-org": ["acme"] }, "Allow"),
  cond("StringEquals on a missing key is false", { StringEquals: { "kms:EncryptionContext:sender-org": "acme" } }, {}, "ImplicitDeny"),
  cond("StringEqualsIfExists on a missing key is true", { StringEqualsIfExists: { "kms:EncryptionContext:sender-org": "acme" } }, {}, "Allow"),
  cond("StringEqualsIfExists still checks a present key", { StringEqualsIfExists: { "kms:EncryptionContext:sender-org": "acme" } }, { "kms:EncryptionContext:sender-org": ["globex"] }, "ImplicitDeny"),
  cond("StringNotEquals on another value", { StringNotEquals: { "aws:PrincipalTag/kb-org": "initech" } }, { "aws:PrincipalTag/kb-org": ["acme"] }, "Allow"),
  cond("StringNotEquals with several values is a NOR", { StringNotEquals: { "aws:PrincipalTag/kb-org": ["initech", "acme"] } }, { "aws:PrincipalTag/kb-org": ["acme"] }, "ImplicitDeny"),
  cond("StringNotEquals on a missing key is true", { StringNotEquals: { "aws:PrincipalTag/kb-org": "initech" } }, {}, "Allow"),
  cond("StringNotEqualsIfExists on a missing key is true", { StringNotEqualsIfExists: { "aws:PrincipalTag/kb-org": "initech" } }, {}, "Allow"),
  cond("StringNotEqualsIfExists on a present equal key is false", { StringNotEqualsIfExists: { "aws:PrincipalTag/kb-org": "initech" } }, { "aws:PrincipalTag/kb-org": ["initech"] }, "ImplicitDeny"),
  cond("StringEqualsIgnoreCase ignores case", { StringEqualsIgnoreCase: { "aws:PrincipalTag/kb-org": "ACME" } }, { "aws:PrincipalTag/kb-org": ["acme"] }, "Allow"),
  cond("StringEqualsIgnoreCase still compares", { StringEqualsIgnoreCase: { "aws:PrincipalTag/kb-org": "ACME" } }, { "aws:PrincipalTag/kb-org": ["globex"] }, "ImplicitDeny"),
  cond("StringNotEqualsIgnoreCase on a case variant is false", { StringNotEqualsIgnoreCase: { "aws:PrincipalTag/kb-org": "ACME" } }, { "aws:PrincipalTag/kb-org": ["acme"] }, "ImplicitDeny"),
  cond("StringNotEqualsIgnoreCaseIfExists on a missing key is true", { StringNotEqualsIgnoreCaseIfExists: { "aws:PrincipalTag/kb-org": "ACME" } }, {}, "Allow"),
  cond("StringLike with wildcards", { StringLike: { "aws:UserAgent": "aws-sdk-js/3.*" } }, { "aws:UserAgent": ["aws-sdk-js/3.600.0"] }, "Allow"),
  cond("StringLike without a match", { StringLike: { "aws:UserAgent": "aws-cli/*" } }, { "aws:UserAgent": ["aws-sdk-js/3.600.0"] }, "ImplicitDeny"),
  cond("StringLike is case-sensitive", { StringLike: { "aws:UserAgent": "AWS-SDK-*" } }, { "aws:UserAgent": ["aws-sdk-js/3.600.0"] }, "ImplicitDeny"),
  cond("StringNotLike on a matching value is false", { StringNotLike: { "aws:UserAgent": "aws-sdk-*" } }, { "aws:UserAgent": ["aws-sdk-js/3.600.0"] }, "ImplicitDeny"),
  cond("StringNotLike on a missing key is true", { StringNotLike: { "aws:UserAgent": "aws-sdk-*" } }, {}, "Allow"),
  cond("StringLikeIfExists on a missing key is true", { StringLikeIfExists: { "aws:UserAgent": "aws-cli/*" } }, {}, "Allow"),
  cond("condition key names are case-insensitive", { StringEquals: { "AWS:principaltag/KB-ORG": "acme" } }, { "aws:PrincipalTag/kb-org": ["acme"] }, "Allow"),
  cond("encryption context key names in condition keys are case-insensitive (KMS guide)", { StringEquals: { "kms:EncryptionContext:Sender-Org": "acme" } }, { "kms:EncryptionContext:sender-org": ["acme"] }, "Allow"),
  cond(
    "several keys under one operator are ANDed",
    { StringEquals: { "kms:EncryptionContext:sender-org": "acme", "kms:EncryptionContext:purpose": "metadata" } },
    { "kms:EncryptionContext:sender-org": ["acme"], "kms:EncryptionContext:purpose": ["file-content"] },
    "ImplicitDeny",
  ),
  cond(
    "several operators are ANDed",
    { StringEquals: { "kms:EncryptionContext:sender-org": "acme" }, Null: { "kms:EncryptionContext:exchange-id": "false" } },
    { "kms:EncryptionContext:sender-org": ["acme"] },
    "ImplicitDeny",
  ),
  cond("a key with no values counts as missing", { StringEquals: { "kms:EncryptionContext:sender-org": "" } }, { "kms:EncryptionContext:sender-org": [] }, "ImplicitDeny"),
  cond("Null true on a key with no values", { Null: { "aws:TagKeys": "true" } }, { "aws:TagKeys": [] }, "Allow"),
  cond("a negated operator without a qualifier fails if any request value matches", { StringNotEquals: { "aws:TagKeys": "kb-org" } }, { "aws:TagKeys": ["kb-org", "kb-user"] }, "ImplicitDeny"),
  cond("a positive operator without a qualifier holds if any request value matches", { StringEquals: { "aws:TagKeys": "kb-org" } }, { "aws:TagKeys": ["kb-user", "kb-org"] }, "Allow"),
  cond("an unknown operator never holds", { StringEqualz: { "aws:PrincipalTag/kb-org": "acme" } }, { "aws:PrincipalTag/kb-org": ["acme"] }, "ImplicitDeny"),

  // Numeric
  cond("NumericEquals compares numbers, not strings", { NumericEquals: { "kms:Count": "10" } }, { "kms:Count": ["10.0"] }, "Allow"),
  cond("NumericEquals with a JSON number", { NumericEquals: { "kms:Count": 10 } }, { "kms:Count": ["10"] }, "Allow"),
  cond("NumericNotEquals on another number", { NumericNotEquals: { "kms:Count": "10" } }, { "kms:Count": ["5"] }, "Allow"),
  cond("NumericNotEquals on the same number", { NumericNotEquals: { "kms:Count": "10" } }, { "kms:Count": ["10"] }, "ImplicitDeny"),
  cond("NumericLessThan below", { NumericLessThan: { "kms:Count": "10" } }, { "kms:Count": ["9.5"] }, "Allow"),
  cond("NumericLessThan at the limit", { NumericLessThan: { "kms:Count": "10" } }, { "kms:Count": ["10"] }, "ImplicitDeny"),
  cond("NumericLessThanEquals at the limit", { NumericLessThanEquals: { "kms:Count": "10" } }, { "kms:Count": ["10"] }, "Allow"),
  cond("NumericGreaterThan above", { NumericGreaterThan: { "kms:Count": "10" } }, { "kms:Count": ["11"] }, "Allow"),
  cond("NumericGreaterThanEquals below", { NumericGreaterThanEquals: { "kms:Count": "10" } }, { "kms:Count": ["9"] }, "ImplicitDeny"),
  cond("NumericLessThanIfExists on a missing key is true", { NumericLessThanIfExists: { "kms:Count": "10" } }, {}, "Allow"),
  cond("Numeric operators never match a non-number", { NumericLessThan: { "kms:Count": "10" } }, { "kms:Count": ["few"] }, "ImplicitDeny"),
  cond("MFA age under a limit (aws:MultiFactorAuthAge)", { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } }, { "aws:MultiFactorAuthAge": ["120"] }, "Allow"),

  // Date
  cond("DateLessThan before the date", { DateLessThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } }, { "aws:CurrentTime": ["2025-06-01T12:00:00Z"] }, "Allow"),
  cond("DateGreaterThan before the date", { DateGreaterThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } }, { "aws:CurrentTime": ["2025-06-01T12:00:00Z"] }, "ImplicitDeny"),
  cond("DateEquals: ISO 8601 in the request, epoch seconds in the policy", { DateEquals: { "aws:CurrentTime": "1748779200" } }, { "aws:CurrentTime": ["2025-06-01T12:00:00Z"] }, "Allow"),
  cond("DateNotEquals on another time", { DateNotEquals: { "aws:CurrentTime": "2025-06-01T12:00:01Z" } }, { "aws:CurrentTime": ["2025-06-01T12:00:00Z"] }, "Allow"),
  cond("DateLessThanEquals at the same instant in another offset", { DateLessThanEquals: { "aws:CurrentTime": "2025-06-01T14:00:00+02:00" } }, { "aws:CurrentTime": ["2025-06-01T12:00:00Z"] }, "Allow"),
  cond("DateGreaterThanEquals at the same instant", { DateGreaterThanEquals: { "aws:EpochTime": "2025-06-01T12:00:00Z" } }, { "aws:EpochTime": ["1748779200"] }, "Allow"),
  cond("DateGreaterThan on a missing aws:TokenIssueTime is false (long-term keys)", { DateGreaterThan: { "aws:TokenIssueTime": "2020-01-01T00:00:01Z" } }, {}, "ImplicitDeny"),
  cond("DateGreaterThanIfExists on a missing key is true", { DateGreaterThanIfExists: { "aws:TokenIssueTime": "2020-01-01T00:00:01Z" } }, {}, "Allow"),
  cond("Date operators never match a non-date", { DateLessThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } }, { "aws:CurrentTime": ["yesterday"] }, "ImplicitDeny"),

  // Bool and Binary
  cond("Bool true", { Bool: { "aws:SecureTransport": "true" } }, { "aws:SecureTransport": ["true"] }, "Allow"),
  cond("Bool false against true", { Bool: { "aws:SecureTransport": "false" } }, { "aws:SecureTransport": ["true"] }, "ImplicitDeny"),
  cond("Bool with a JSON boolean", { Bool: { "aws:MultiFactorAuthPresent": true } }, { "aws:MultiFactorAuthPresent": ["true"] }, "Allow"),
  cond("BoolIfExists on a missing key is true", { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } }, {}, "Allow"),
  {
    name: "Deny + BoolIfExists false denies long-term keys without the MFA key",
    doc: policy({ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: "*", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }),
    expect: "ExplicitDeny",
  },
  {
    name: "Deny + Bool false does not deny when the MFA key is missing",
    doc: policy({ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }),
    expect: "Allow",
  },
  cond("BinaryEquals on equal bytes", { BinaryEquals: { "kms:Blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA==" } }, { "kms:Blob": ["QmluYXJ5VmFsdWVJbkJhc2U2NA=="] }, "Allow"),
  cond("BinaryEquals on other bytes", { BinaryEquals: { "kms:Blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA==" } }, { "kms:Blob": ["T3RoZXI="] }, "ImplicitDeny"),

  // IP addresses
  cond("IpAddress inside an IPv4 range", { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, { "aws:SourceIp": ["203.0.113.77"] }, "Allow"),
  cond("IpAddress outside an IPv4 range", { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, { "aws:SourceIp": ["203.0.114.1"] }, "ImplicitDeny"),
  cond("IpAddress with a non-octet prefix", { IpAddress: { "aws:SourceIp": "10.0.0.0/12" } }, { "aws:SourceIp": ["10.15.255.255"] }, "Allow"),
  cond("IpAddress without a prefix is one host", { IpAddress: { "aws:SourceIp": "203.0.113.7" } }, { "aws:SourceIp": ["203.0.113.8"] }, "ImplicitDeny"),
  cond("IpAddress inside an IPv6 range", { IpAddress: { "aws:SourceIp": "2001:DB8:1234:5678::/64" } }, { "aws:SourceIp": ["2001:db8:1234:5678:abcd::1"] }, "Allow"),
  cond("IpAddress outside an IPv6 range", { IpAddress: { "aws:SourceIp": "2001:DB8:1234:5678::/64" } }, { "aws:SourceIp": ["2001:db8:1234:5679::1"] }, "ImplicitDeny"),
  cond("IpAddress ::1 is the IPv6 loopback", { IpAddress: { "aws:SourceIp": ["127.0.0.0/8", "::1"] } }, { "aws:SourceIp": ["::1"] }, "Allow"),
  cond("an IPv4-mapped IPv6 address is its IPv4 address", { IpAddress: { "aws:SourceIp": "127.0.0.0/8" } }, { "aws:SourceIp": ["::ffff:127.0.0.1"] }, "Allow"),
  cond("an IPv6 address is never inside an IPv4 range", { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } }, { "aws:SourceIp": ["2001:db8::1"] }, "ImplicitDeny"),
  cond("NotIpAddress inside the range is false", { NotIpAddress: { "aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"] } }, { "aws:SourceIp": ["203.0.113.9"] }, "ImplicitDeny"),
  cond("NotIpAddress outside every range is true", { NotIpAddress: { "aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"] } }, { "aws:SourceIp": ["198.51.100.1"] }, "Allow"),
  cond("IpAddressIfExists on a missing key is true", { IpAddressIfExists: { "aws:SourceIp": "192.0.2.0/24" } }, {}, "Allow"),

  // ARN
  cond("ArnLike with wildcards per part", { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACME}:role/keybridge/*` } }, { "aws:PrincipalArn": [`arn:aws:iam::${ACME}:role/keybridge/uploader`] }, "Allow"),
  cond(
    "ArnLike: * does not span colons (IAM guide example)",
    { ArnLike: { "aws:SourceArn": "arn:aws:someservice:*:111122223333:finance/*" } },
    { "aws:SourceArn": ["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"] },
    "ImplicitDeny",
  ),
  cond(
    "StringLike: * spans colons (same example)",
    { StringLike: { "aws:SourceArn": "arn:aws:someservice:*:111122223333:finance/*" } },
    { "aws:SourceArn": ["arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"] },
    "Allow",
  ),
  cond("ArnEquals on the same ARN", { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${ACME}:user/alice` } }, { "aws:PrincipalArn": [`arn:aws:iam::${ACME}:user/alice`] }, "Allow"),
  cond("ArnNotLike on a matching ARN is false", { ArnNotLike: { "aws:PrincipalArn": `arn:aws:iam::${ACME}:user/*` } }, { "aws:PrincipalArn": [`arn:aws:iam::${ACME}:user/alice`] }, "ImplicitDeny"),
  cond("ArnNotEquals on a missing key is true", { ArnNotEquals: { "aws:SourceArn": `arn:aws:iam::${ACME}:user/alice` } }, {}, "Allow"),

  // Null
  cond("Null true on a missing key", { Null: { "aws:TokenIssueTime": "true" } }, {}, "Allow"),
  cond("Null true on a present key", { Null: { "aws:TokenIssueTime": "true" } }, { "aws:TokenIssueTime": ["2025-06-01T11:30:00Z"] }, "ImplicitDeny"),
  cond("Null false on a present key", { Null: { "kms:EncryptionContextKeys": false } }, { "kms:EncryptionContextKeys": ["purpose"] }, "Allow"),
  cond("Null false on a missing key", { Null: { "kms:EncryptionContextKeys": false } }, {}, "ImplicitDeny"),

  // Set operators on multivalued keys
  cond("ForAllValues: every request value is listed", { "ForAllValues:StringEquals": { "aws:TagKeys": ["kb-user", "kb-org", "kb-mfa"] } }, { "aws:TagKeys": ["kb-org", "kb-user"] }, "Allow"),
  cond("ForAllValues: one request value is not listed", { "ForAllValues:StringEquals": { "aws:TagKeys": ["kb-user", "kb-org"] } }, { "aws:TagKeys": ["kb-org", "cost-center"] }, "ImplicitDeny"),
  cond("ForAllValues on a missing key is true", { "ForAllValues:StringEquals": { "aws:TagKeys": ["kb-user"] } }, {}, "Allow"),
  cond("ForAllValues on an empty key is true", { "ForAllValues:StringEquals": { "aws:TagKeys": ["kb-user"] } }, { "aws:TagKeys": [] }, "Allow"),
  cond("ForAllValues:StringLike", { "ForAllValues:StringLike": { "aws:TagKeys": "kb-*" } }, { "aws:TagKeys": ["kb-org", "kb-mfa-at"] }, "Allow"),
  cond("ForAnyValue: one request value is listed", { "ForAnyValue:StringEquals": { "aws:TagKeys": ["DataClass", "Owner"] } }, { "aws:TagKeys": ["DataClass", "Dept"] }, "Allow"),
  cond("ForAnyValue: none is listed", { "ForAnyValue:StringEquals": { "aws:TagKeys": ["DataClass", "Owner"] } }, { "aws:TagKeys": ["Dept", "SIC"] }, "ImplicitDeny"),
  cond("ForAnyValue on a missing key is false", { "ForAnyValue:StringEquals": { "aws:TagKeys": ["DataClass"] } }, {}, "ImplicitDeny"),
  cond("ForAnyValue...IfExists on a missing key is still false", { "ForAnyValue:StringEqualsIfExists": { "aws:TagKeys": ["team"] } }, {}, "ImplicitDeny"),
  cond("ForAllValues:StringNotEquals: no request value is listed", { "ForAllValues:StringNotEquals": { "aws:TagKeys": ["DataClass", "Owner"] } }, { "aws:TagKeys": ["Dept", "SIC"] }, "Allow"),
  cond("ForAllValues:StringNotEquals: one request value is listed", { "ForAllValues:StringNotEquals": { "aws:TagKeys": ["DataClass", "Owner"] } }, { "aws:TagKeys": ["Dept", "Owner"] }, "ImplicitDeny"),
  cond("ForAnyValue:StringNotEquals: one request value is not listed", { "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["DataClass", "Owner"] } }, { "aws:TagKeys": ["Dept", "DataClass"] }, "Allow"),
  cond("ForAnyValue:StringNotEquals: every request value is listed", { "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["DataClass", "Owner"] } }, { "aws:TagKeys": ["Owner", "DataClass"] }, "ImplicitDeny"),
  {
    name: "Deny with ForAnyValue forbids any listed tag key",
    doc: policy({ Effect: "Allow", Action: "*", Resource: "*" }, { Sid: "NoCost", Effect: "Deny", Action: "*", Resource: "*", Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["cost-center"] } } }),
    context: { "aws:TagKeys": ["kb-org", "cost-center"] },
    expect: "ExplicitDeny",
    sids: ["NoCost"],
  },

  // Policy variables
  { name: "${aws:username} in Resource", doc: policy(allowDecrypt({ Resource: `arn:aws:kms:eu-west-1:${ACME}:alias/\${aws:username}` })), resource: `arn:aws:kms:eu-west-1:${ACME}:alias/alice`, context: { "aws:username": ["alice"] }, expect: "Allow" },
  { name: "${aws:username} resolves to the caller only", doc: policy(allowDecrypt({ Resource: `arn:aws:kms:eu-west-1:${ACME}:alias/\${aws:username}` })), resource: `arn:aws:kms:eu-west-1:${ACME}:alias/bob`, context: { "aws:username": ["alice"] }, expect: "ImplicitDeny" },
  { name: "an unresolvable variable never matches", doc: policy(allowDecrypt({ Resource: `arn:aws:kms:eu-west-1:${ACME}:alias/\${aws:username}` })), resource: `arn:aws:kms:eu-west-1:${ACME}:alias/`, context: {}, expect: "ImplicitDeny" },
  { name: "a variable's default value", doc: policy(allowDecrypt({ Resource: `arn:aws:kms:eu-west-1:${ACME}:alias/\${aws:username, 'anonymous'}` })), resource: `arn:aws:kms:eu-west-1:${ACME}:alias/anonymous`, context: {}, expect: "Allow" },
  {
    name: "an unresolvable variable in NotResource invalidates the statement",
    doc: policy({ Effect: "Allow", Action: "kms:Decrypt", NotResource: `arn:aws:kms:eu-west-1:${ACME}:alias/\${aws:username}` }),
    context: {},
    expect: "ImplicitDeny",
  },
  {
    name: "variables are literal text before policy version 2012-10-17",
    doc: { Version: "2008-10-17", Statement: [allowDecrypt({ Resource: `arn:aws:kms:eu-west-1:${ACME}:alias/\${aws:username}` })] },
    resource: `arn:aws:kms:eu-west-1:${ACME}:alias/alice`,
    context: { "aws:username": ["alice"] },
    expect: "ImplicitDeny",
  },
  cond("${aws:PrincipalTag/...} in a condition value", { StringEquals: { "kms:EncryptionContext:sender-org": "${aws:PrincipalTag/kb-org}" } }, { "kms:EncryptionContext:sender-org": ["acme"], "aws:PrincipalTag/kb-org": ["acme"] }, "Allow"),
  cond("${aws:PrincipalTag/...} compared with another org", { StringEquals: { "kms:EncryptionContext:sender-org": "${aws:PrincipalTag/kb-org}" } }, { "kms:EncryptionContext:sender-org": ["globex"], "aws:PrincipalTag/kb-org": ["acme"] }, "ImplicitDeny"),
  cond("${*} is a literal asterisk", { StringLike: { "kms:EncryptionContext:name": "a${*}b" } }, { "kms:EncryptionContext:name": ["axb"] }, "ImplicitDeny"),
  cond("${*} matches an asterisk", { StringLike: { "kms:EncryptionContext:name": "a${*}b" } }, { "kms:EncryptionContext:name": ["a*b"] }, "Allow"),
  cond("${?} and ${$} are literal characters", { StringEquals: { "kms:EncryptionContext:name": "why${?}${$}" } }, { "kms:EncryptionContext:name": ["why?$"] }, "Allow"),
  cond("a substituted value is not a wildcard", { StringLike: { "kms:EncryptionContext:name": "${aws:PrincipalTag/pattern}" } }, { "kms:EncryptionContext:name": ["anything"], "aws:PrincipalTag/pattern": ["*"] }, "ImplicitDeny"),
  cond("an unresolvable variable makes even a negated condition fail", { StringNotEquals: { "kms:EncryptionContext:user": "${aws:username}" } }, { "kms:EncryptionContext:user": ["mallory"] }, "ImplicitDeny"),

  // Principal and NotPrincipal (resource-based policies)
  { name: 'Principal "*"', kind: "resource", doc: policy(allowDecrypt({ Principal: "*" })), expect: "Allow" },
  { name: 'Principal {"AWS": "*"}', kind: "resource", doc: policy(allowDecrypt({ Principal: { AWS: "*" } })), expect: "Allow" },
  { name: "Principal account id", kind: "resource", doc: policy(allowDecrypt({ Principal: { AWS: ACME } })), expect: "Allow" },
  { name: "Principal account root ARN", kind: "resource", doc: policy(allowDecrypt({ Principal: { AWS: `arn:aws:iam::${ACME}:root` } })), expect: "Allow" },
  { name: "Principal of another account", kind: "resource", doc: policy(allowDecrypt({ Principal: { AWS: `arn:aws:iam::${GLOBEX}:root` } })), expect: "ImplicitDeny" },
  { name: "Principal role ARN (with path) matches its sessions", kind: "resource", doc: policy(allowDecrypt({ Principal: { AWS: uploader.principalArn } })), expect: "Allow" },
  { name: "Principal role ARN without the role's path does not", kind: "resource", doc: policy(allowDecrypt({ Principal: { AWS: `arn:aws:iam::${ACME}:role/uploader` } })), expect: "ImplicitDeny" },
  { name: "Principal assumed-role session ARN", kind: "resource", doc: policy(allowDecrypt({ Principal: { AWS: uploader.arn } })), expect: "Allow" },
  { name: "Principal of another session of the role", kind: "resource", doc: policy(allowDecrypt({ Principal: { AWS: `arn:aws:sts::${ACME}:assumed-role/uploader/other` } })), expect: "ImplicitDeny" },
  { name: "Principal user ARN", kind: "resource", doc: policy(allowDecrypt({ Principal: { AWS: alice.arn } })), principal: alice, expect: "Allow" },
  { name: "Principal of another user", kind: "resource", doc: policy(allowDecrypt({ Principal: { AWS: [`arn:aws:iam::${ACME}:user/bob`] } })), principal: alice, expect: "ImplicitDeny" },
  { name: "Principal Service never matches a caller", kind: "resource", doc: policy(allowDecrypt({ Principal: { Service: "s3.amazonaws.com" } })), expect: "ImplicitDeny" },
  { name: "Principal Federated never matches a caller", kind: "resource", doc: policy(allowDecrypt({ Principal: { Federated: "cognito-identity.amazonaws.com" } })), expect: "ImplicitDeny" },
  {
    name: "Deny naming the account applies to every principal in it",
    kind: "resource",
    doc: policy(allowDecrypt({ Principal: { AWS: uploader.arn } }), denyDecrypt({ Principal: { AWS: ACME } })),
    expect: "ExplicitDeny",
  },
  {
    name: "NotPrincipal Deny spares a session listed with its role and account",
    kind: "resource",
    doc: policy(allowDecrypt({ Principal: "*" }), denyDecrypt({ NotPrincipal: { AWS: [uploader.arn, uploader.principalArn, `arn:aws:iam::${ACME}:root`] } })),
    expect: "Allow",
  },
  {
    name: "NotPrincipal Deny listing only the session still denies (role and account not listed)",
    kind: "resource",
    doc: policy(allowDecrypt({ Principal: "*" }), denyDecrypt({ NotPrincipal: { AWS: [uploader.arn] } })),
    expect: "ExplicitDeny",
  },
  {
    name: "NotPrincipal Deny listing the session and account but not the role still denies",
    kind: "resource",
    doc: policy(allowDecrypt({ Principal: "*" }), denyDecrypt({ NotPrincipal: { AWS: [uploader.arn, ACME] } })),
    expect: "ExplicitDeny",
  },
  {
    name: "NotPrincipal Deny denies principals it does not list",
    kind: "resource",
    doc: policy(allowDecrypt({ Principal: "*" }), denyDecrypt({ NotPrincipal: { AWS: [alice.arn, `arn:aws:iam::${ACME}:root`] } })),
    expect: "ExplicitDeny",
  },
  {
    name: "NotPrincipal Deny spares a user listed with its account",
    kind: "resource",
    doc: policy(allowDecrypt({ Principal: "*" }), denyDecrypt({ NotPrincipal: { AWS: [alice.arn, ACME] } })),
    principal: alice,
    expect: "Allow",
  },
  { name: "a resource policy without a principal in the request applies to no one", kind: "resource", doc: policy(allowDecrypt({ Principal: "*" })), principal: undefined, expect: "ImplicitDeny" },
  { name: "Principal is ignored in session policies", kind: "session", doc: policy(allowDecrypt()), principal: undefined, expect: "Allow" },
];

describe("evaluatePolicy", () => {
  for (const c of evalCases) {
    it(c.name, () => {
      const principal = "principal" in c ? c.principal : uploader;
      const result = evaluatePolicy(c.doc, { action: c.action ?? "kms:Decrypt", resource: c.resource ?? KEY, context: c.context ?? {}, principal }, c.kind ?? "identity");
      assert.equal(result.decision, c.expect);
      if (c.sids) assert.deepEqual(result.matchedSids, c.sids);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// authorize: identity, key/trust, session policies and grants together
// ---------------------------------------------------------------------------------------------------

interface AuthCase {
  name: string;
  caller: Caller;
  input?: Partial<Omit<AuthorizationInput, "call">>;
  call?: Partial<CallInfo>;
  expect: Decision;
  reason?: string;
  message?: string;
}

const KMS_USE = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"];
const ADMIN_ONLY = ["kms:Describe*", "kms:Get*", "kms:List*", "kms:Put*", "kms:Create*", "kms:Enable*", "kms:Disable*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"];
const rootOf = (account: string) => `arn:aws:iam::${account}:root`;
const keyPolicy = (...statements: PolicyStatement[]) => policy(...statements);
const allowKms = (principal: string | string[], actions: string | string[] = KMS_USE, extra: Partial<PolicyStatement> = {}): PolicyStatement => ({ Effect: "Allow", Principal: { AWS: principal }, Action: actions, Resource: "*", ...extra });
const identityAllowing = (actions: string | string[] = KMS_USE, resource: string = KEY) => policy({ Effect: "Allow", Action: actions, Resource: resource });

const downloader = roleSession(GLOBEX, "downloader", "d-7");
const initech = roleSession(INITECH, "initech", "i-1");
const denied = (caller: Caller, action: string, why: string) => `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${KEY} ${why}`;

const authCases: AuthCase[] = [
  // Same account, KMS key policy
  { name: "key policy naming the role allows without identity policies", caller: uploader, input: { resourcePolicy: keyPolicy(allowKms(uploader.principalArn)) }, expect: "Allow", reason: "resource-policy-allow" },
  {
    name: "identity policy alone never opens a key whose policy does not delegate to the account",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [identityAllowing()] }),
    input: { resourcePolicy: keyPolicy(allowKms(alice.arn)) },
    expect: "ImplicitDeny",
    reason: "resource-policy-no-allow",
    message: denied(uploader, "kms:Decrypt", "because no resource-based policy allows the kms:Decrypt action"),
  },
  {
    name: "root delegation + identity allow",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [identityAllowing()] }),
    input: { resourcePolicy: keyPolicy(allowKms(rootOf(ACME), "kms:*")) },
    expect: "Allow",
    reason: "identity-policy-allow",
  },
  {
    name: "root delegation by account id + identity allow",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [identityAllowing()] }),
    input: { resourcePolicy: keyPolicy(allowKms(ACME, "kms:*")) },
    expect: "Allow",
  },
  {
    name: "root delegation without an identity allow",
    caller: uploader,
    input: { resourcePolicy: keyPolicy(allowKms(rootOf(ACME), "kms:*")) },
    expect: "ImplicitDeny",
    reason: "identity-policy-no-allow",
    message: denied(uploader, "kms:Decrypt", "because no identity-based policy allows the kms:Decrypt action"),
  },
  {
    name: "root delegation of admin actions does not delegate kms:Decrypt",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [identityAllowing("kms:*", "*")] }),
    input: { resourcePolicy: keyPolicy(allowKms(rootOf(ACME), ADMIN_ONLY)) },
    expect: "ImplicitDeny",
    reason: "resource-policy-no-allow",
  },
  {
    name: "root delegation of admin actions delegates kms:DescribeKey",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [identityAllowing("kms:*", "*")] }),
    input: { action: "kms:DescribeKey", resourcePolicy: keyPolicy(allowKms(rootOf(ACME), ADMIN_ONLY)) },
    expect: "Allow",
  },
  {
    name: "key policy explicit deny beats its own allow",
    caller: uploader,
    input: { resourcePolicy: keyPolicy(allowKms(uploader.principalArn), { Effect: "Deny", Principal: { AWS: uploader.principalArn }, Action: "kms:Decrypt", Resource: "*" }) },
    expect: "ExplicitDeny",
    reason: "resource-policy-explicit-deny",
    message: denied(uploader, "kms:Decrypt", "with an explicit deny in a resource-based policy"),
  },
  {
    name: "identity policy explicit deny beats a key policy allow",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [policy({ Effect: "Deny", Action: "kms:*", Resource: "*" })] }),
    input: { resourcePolicy: keyPolicy(allowKms(uploader.arn)) },
    expect: "ExplicitDeny",
    reason: "identity-policy-explicit-deny",
    message: denied(uploader, "kms:Decrypt", "with an explicit deny in an identity-based policy"),
  },
  {
    name: "an identity deny with a condition that does not hold does not deny",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [policy({ Effect: "Deny", Action: "kms:*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": ["127.0.0.0/8", "::1"] } } })] }),
    input: { resourcePolicy: keyPolicy(allowKms(uploader.principalArn)) },
    call: { sourceIp: "::ffff:127.0.0.1" },
    expect: "Allow",
  },
  {
    name: "the same identity deny applies from another address",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [policy({ Effect: "Deny", Action: "kms:*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": ["127.0.0.0/8", "::1"] } } })] }),
    input: { resourcePolicy: keyPolicy(allowKms(uploader.principalArn)) },
    call: { sourceIp: "198.51.100.4" },
    expect: "ExplicitDeny",
  },

  // Cross account
  {
    name: "cross-account: key policy naming the role is not enough",
    caller: downloader,
    input: { resourcePolicy: keyPolicy(allowKms(downloader.principalArn)) },
    expect: "ImplicitDeny",
    reason: "identity-policy-no-allow",
    message: denied(downloader, "kms:Decrypt", "because no identity-based policy allows the kms:Decrypt action"),
  },
  {
    name: "cross-account: key policy and identity policy both allow",
    caller: roleSession(GLOBEX, "downloader", "d-7", { identityPolicies: [identityAllowing(["kms:Decrypt", "kms:DescribeKey"])] }),
    input: { resourcePolicy: keyPolicy(allowKms(downloader.principalArn)) },
    expect: "Allow",
    reason: "cross-account-allow",
  },
  {
    name: "cross-account: a key policy naming the session still needs the identity policy",
    caller: downloader,
    input: { resourcePolicy: keyPolicy(allowKms(downloader.arn)) },
    expect: "ImplicitDeny",
    reason: "identity-policy-no-allow",
  },
  {
    name: "cross-account: identity policy alone",
    caller: roleSession(GLOBEX, "downloader", "d-7", { identityPolicies: [identityAllowing()] }),
    input: { resourcePolicy: keyPolicy(allowKms(rootOf(ACME), "kms:*")) },
    expect: "ImplicitDeny",
    reason: "resource-policy-no-allow",
    message: denied(downloader, "kms:Decrypt", "because no resource-based policy allows the kms:Decrypt action"),
  },
  {
    name: "cross-account: key policy delegating to the other account + its identity policy",
    caller: roleSession(GLOBEX, "downloader", "d-7", { identityPolicies: [identityAllowing()] }),
    input: { resourcePolicy: keyPolicy(allowKms(rootOf(GLOBEX))) },
    expect: "Allow",
  },
  {
    name: "cross-account: an account with neither policy",
    caller: initech,
    input: { resourcePolicy: keyPolicy(allowKms(downloader.principalArn)) },
    expect: "ImplicitDeny",
    reason: "identity-policy-no-allow",
  },

  // Session policies
  {
    name: "session policy narrows identity permissions",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [identityAllowing()], sessionPolicy: policy({ Effect: "Allow", Action: "kms:Encrypt", Resource: "*" }) }),
    input: { resourcePolicy: keyPolicy(allowKms(rootOf(ACME), "kms:*")) },
    expect: "ImplicitDeny",
    reason: "session-policy-no-allow",
    message: denied(uploader, "kms:Decrypt", "because no session policy allows the kms:Decrypt action"),
  },
  {
    name: "session policy allowing the action",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [identityAllowing()], sessionPolicy: policy({ Effect: "Allow", Action: "kms:*", Resource: "*" }) }),
    input: { resourcePolicy: keyPolicy(allowKms(rootOf(ACME), "kms:*")) },
    expect: "Allow",
  },
  {
    name: "session policy limits what a key policy grants to the role ARN",
    caller: roleSession(ACME, "uploader", "u-42", { sessionPolicy: policy({ Effect: "Allow", Action: "kms:Encrypt", Resource: "*" }) }),
    input: { resourcePolicy: keyPolicy(allowKms(uploader.principalArn)) },
    expect: "ImplicitDeny",
    reason: "session-policy-no-allow",
  },
  {
    name: "session policy does not limit what a key policy grants to the session ARN",
    caller: roleSession(ACME, "uploader", "u-42", { sessionPolicy: policy({ Effect: "Allow", Action: "kms:Encrypt", Resource: "*" }) }),
    input: { resourcePolicy: keyPolicy(allowKms(uploader.arn)) },
    expect: "Allow",
    reason: "resource-policy-allow",
  },
  {
    name: "a key policy naming both the account and the session grants as the session",
    caller: roleSession(ACME, "uploader", "u-42", { sessionPolicy: policy({ Effect: "Allow", Action: "kms:Encrypt", Resource: "*" }) }),
    input: { resourcePolicy: keyPolicy(allowKms([rootOf(ACME), uploader.arn])) },
    expect: "Allow",
  },
  {
    name: "explicit deny in the session policy",
    caller: roleSession(ACME, "uploader", "u-42", { sessionPolicy: policy({ Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Deny", Action: "kms:Decrypt", Resource: "*" }) }),
    input: { resourcePolicy: keyPolicy(allowKms(uploader.arn)) },
    expect: "ExplicitDeny",
    reason: "session-policy-explicit-deny",
    message: denied(uploader, "kms:Decrypt", "with an explicit deny in a session policy"),
  },
  {
    name: "cross-account: session policy must allow too",
    caller: roleSession(GLOBEX, "downloader", "d-7", { identityPolicies: [identityAllowing()], sessionPolicy: policy({ Effect: "Allow", Action: "kms:DescribeKey", Resource: "*" }) }),
    input: { resourcePolicy: keyPolicy(allowKms(downloader.principalArn)) },
    expect: "ImplicitDeny",
    reason: "session-policy-no-allow",
  },

  // Grants
  { name: "a grant allows without key policy or identity allow", caller: uploader, input: { resourcePolicy: keyPolicy(allowKms(rootOf(ACME), ADMIN_ONLY)), grantAllows: true }, expect: "Allow", reason: "grant-allow" },
  {
    name: "a key policy deny beats a grant",
    caller: uploader,
    input: { resourcePolicy: keyPolicy({ Effect: "Deny", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }), grantAllows: true },
    expect: "ExplicitDeny",
    reason: "resource-policy-explicit-deny",
  },
  {
    name: "an identity deny beats a grant",
    caller: roleSession(ACME, "uploader", "u-42", { identityPolicies: [policy({ Effect: "Deny", Action: "kms:Decrypt", Resource: "*" })] }),
    input: { resourcePolicy: keyPolicy(), grantAllows: true },
    expect: "ExplicitDeny",
  },
  { name: "cross-account: a grant needs no identity policy", caller: downloader, input: { resourcePolicy: keyPolicy(), grantAllows: true }, expect: "Allow", reason: "grant-allow" },
  { name: "no grant and no statement", caller: uploader, input: { resourcePolicy: keyPolicy(), grantAllows: false }, expect: "ImplicitDeny", reason: "resource-policy-no-allow" },

  // Identity-only actions
  { name: "identity-only action allowed by an identity policy", caller: iamUser(ACME, "admin", { identityPolicies: [policy({ Effect: "Allow", Action: "*", Resource: "*" })] }), input: { action: "kms:ListKeys", resource: "*" }, expect: "Allow", reason: "identity-policy-allow" },
  { name: "identity-only action without an allow", caller: alice, input: { action: "kms:CreateKey", resource: "*" }, expect: "ImplicitDeny", reason: "identity-policy-no-allow" },
  {
    name: "identity-only: identity policies do not reach another account's resource",
    caller: iamUser(ACME, "admin", { identityPolicies: [policy({ Effect: "Allow", Action: "*", Resource: "*" })] }),
    input: { resourceAccountId: GLOBEX },
    expect: "ImplicitDeny",
    reason: "resource-policy-no-allow",
  },

  // STS trust policies
  {
    name: "AssumeRole: trust policy naming the user in the same account needs no identity policy",
    caller: alice,
    input: { action: "sts:AssumeRole", resource: `arn:aws:iam::${ACME}:role/R`, resourcePolicy: policy({ Effect: "Allow", Principal: { AWS: alice.arn }, Action: "sts:AssumeRole" }) },
    expect: "Allow",
  },
  {
    name: "AssumeRole: trust policy not naming the caller, STS-style message",
    caller: alice,
    input: { action: "sts:AssumeRole", resource: `arn:aws:iam::${GLOBEX}:role/R`, resourceAccountId: GLOBEX, resourcePolicy: policy({ Effect: "Allow", Principal: { AWS: rootOf(INITECH) }, Action: "sts:AssumeRole" }) },
    expect: "ImplicitDeny",
    message: `User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${GLOBEX}:role/R`,
  },
  {
    name: "AssumeRole cross-account with the right sts:ExternalId",
    caller: iamUser(ACME, "keybridge-app", { identityPolicies: [policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${GLOBEX}:role/*` })] }),
    input: {
      action: "sts:AssumeRole",
      resource: `arn:aws:iam::${GLOBEX}:role/keybridge-globex-downloader`,
      resourceAccountId: GLOBEX,
      context: { "sts:ExternalId": ["keybridge-globex-41d9e6"] },
      resourcePolicy: policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACME}:user/keybridge-app` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "keybridge-globex-41d9e6" } } }),
    },
    expect: "Allow",
  },
  {
    name: "AssumeRole cross-account with a wrong sts:ExternalId",
    caller: iamUser(ACME, "keybridge-app", { identityPolicies: [policy({ Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::${GLOBEX}:role/*` })] }),
    input: {
      action: "sts:AssumeRole",
      resource: `arn:aws:iam::${GLOBEX}:role/keybridge-globex-downloader`,
      resourceAccountId: GLOBEX,
      context: { "sts:ExternalId": ["keybridge-acme-7f3c2a"] },
      resourcePolicy: policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACME}:user/keybridge-app` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "keybridge-globex-41d9e6" } } }),
    },
    expect: "ImplicitDeny",
    message: `User: arn:aws:iam::${ACME}:user/keybridge-app is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${GLOBEX}:role/keybridge-globex-downloader`,
  },

  // The demo world's key policy, with global keys from the call
  {
    name: "demo: Globex may decrypt file content only with kb-mfa=true (it is)",
    caller: roleSession(GLOBEX, "downloader", "d-7", { principalTags: { "kb-mfa": "true" }, identityPolicies: [identityAllowing(["kms:Decrypt", "kms:DescribeKey"])] }),
    input: {
      context: { "kms:EncryptionContext:recipient-org": ["globex"], "kms:EncryptionContext:purpose": ["file-content"] },
      resourcePolicy: keyPolicy(allowKms(downloader.principalArn, "kms:Decrypt", { Condition: { StringEquals: { "kms:EncryptionContext:recipient-org": "globex", "kms:EncryptionContext:purpose": "file-content", "aws:PrincipalTag/kb-mfa": "true" } } })),
    },
    expect: "Allow",
  },
  {
    name: "demo: Globex may decrypt file content only with kb-mfa=true (it is not)",
    caller: roleSession(GLOBEX, "downloader", "d-7", { principalTags: { "kb-mfa": "false" }, identityPolicies: [identityAllowing(["kms:Decrypt", "kms:DescribeKey"])] }),
    input: {
      context: { "kms:EncryptionContext:recipient-org": ["globex"], "kms:EncryptionContext:purpose": ["file-content"] },
      resourcePolicy: keyPolicy(allowKms(downloader.principalArn, "kms:Decrypt", { Condition: { StringEquals: { "kms:EncryptionContext:recipient-org": "globex", "kms:EncryptionContext:purpose": "file-content", "aws:PrincipalTag/kb-mfa": "true" } } })),
    },
    expect: "ImplicitDeny",
    reason: "resource-policy-no-allow",
  },
  {
    name: "demo: Acme's Decrypt of file content hits the key policy's explicit deny",
    caller: uploader,
    input: {
      context: { "kms:EncryptionContext:sender-org": ["acme"], "kms:EncryptionContext:purpose": ["file-content"] },
      resourcePolicy: keyPolicy(
        allowKms(uploader.principalArn, "kms:Decrypt", { Condition: { StringEquals: { "kms:EncryptionContext:sender-org": "acme", "kms:EncryptionContext:purpose": "metadata" } } }),
        { Effect: "Deny", Principal: { AWS: uploader.principalArn }, Action: "kms:Decrypt", Resource: "*", Condition: { StringNotEquals: { "kms:EncryptionContext:purpose": "metadata" } } },
      ),
    },
    expect: "ExplicitDeny",
  },
  {
    name: "service context overrides a global key of the same name in any case",
    caller: uploader,
    input: { context: { "AWS:SOURCEIP": ["198.51.100.4"] }, resourcePolicy: keyPolicy(allowKms(uploader.principalArn, "kms:Decrypt", { Condition: { IpAddress: { "aws:SourceIp": "127.0.0.0/8" } } })) },
    expect: "ImplicitDeny",
  },
  {
    name: "global keys reach key policy conditions (aws:MultiFactorAuthPresent)",
    caller: roleSession(ACME, "uploader", "u-42", { mfaAuthenticated: true, mfaAuthenticatedAt: new Date("2025-06-01T11:59:00Z") }),
    input: { resourcePolicy: keyPolicy(allowKms(uploader.principalArn, "kms:Decrypt", { Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" }, NumericLessThan: { "aws:MultiFactorAuthAge": "300" } } })) },
    expect: "Allow",
  },
];

describe("authorize", () => {
  for (const c of authCases) {
    it(c.name, () => {
      const result = authorize({
        call: callOf(c.caller, c.call),
        action: "kms:Decrypt",
        resource: KEY,
        resourceAccountId: ACME,
        context: {},
        ...c.input,
      });
      assert.equal(result.decision, c.expect);
      if (c.reason) assert.equal(result.reason, c.reason);
      if (c.message !== undefined) assert.equal(result.message, c.message);
      if (c.expect === "Allow") assert.equal(result.message, "");
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// globalConditionContext
// ---------------------------------------------------------------------------------------------------

describe("globalConditionContext", () => {
  it("long-term user keys: username, no MFA or token keys", () => {
    const context = globalConditionContext(callOf(iamUser(ACME, "alice", { principalTags: { team: "ops" } }), { secureTransport: true }));
    assert.deepEqual(context["aws:username"], ["alice"]);
    assert.deepEqual(context["aws:PrincipalType"], ["User"]);
    assert.deepEqual(context["aws:PrincipalArn"], [alice.arn]);
    assert.deepEqual(context["aws:PrincipalAccount"], [ACME]);
    assert.deepEqual(context["aws:userid"], ["AIDAEXAMPLEUSERID001"]);
    assert.deepEqual(context["aws:PrincipalTag/team"], ["ops"]);
    assert.deepEqual(context["aws:SecureTransport"], ["true"]);
    assert.deepEqual(context["aws:CurrentTime"], ["2025-06-01T12:00:00Z"]);
    assert.deepEqual(context["aws:EpochTime"], ["1748779200"]);
    assert.deepEqual(context["aws:RequestedRegion"], ["eu-west-1"]);
    assert.deepEqual(context["aws:UserAgent"], ["aws-sdk-js/3.0"]);
    for (const absent of ["aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:TokenIssueTime", "aws:SourceIdentity"]) {
      assert.equal(context[absent], undefined, absent);
    }
  });

  it("role session with MFA: temporary-credential keys, no username", () => {
    const caller = roleSession(ACME, "uploader", "u-42", {
      mfaAuthenticated: true,
      mfaAuthenticatedAt: new Date("2025-06-01T11:58:20.500Z"),
      sourceIdentity: "person-17",
      principalTags: { "kb-org": "acme" },
    });
    const context = globalConditionContext(callOf(caller, { sourceIp: "::ffff:127.0.0.1" }));
    assert.equal(context["aws:username"], undefined);
    assert.deepEqual(context["aws:PrincipalType"], ["AssumedRole"]);
    assert.deepEqual(context["aws:PrincipalArn"], [caller.principalArn]);
    assert.deepEqual(context["aws:userid"], ["AROAEXAMPLEROLEID:u-42"]);
    assert.deepEqual(context["aws:MultiFactorAuthPresent"], ["true"]);
    assert.deepEqual(context["aws:MultiFactorAuthAge"], ["99"]);
    assert.deepEqual(context["aws:TokenIssueTime"], ["2025-06-01T11:30:00Z"]);
    assert.deepEqual(context["aws:SourceIdentity"], ["person-17"]);
    assert.deepEqual(context["aws:PrincipalTag/kb-org"], ["acme"]);
    assert.deepEqual(context["aws:SourceIp"], ["127.0.0.1"]);
  });

  it("role session without MFA: present and false, no age", () => {
    const context = globalConditionContext(callOf(uploader));
    assert.deepEqual(context["aws:MultiFactorAuthPresent"], ["false"]);
    assert.equal(context["aws:MultiFactorAuthAge"], undefined);
  });
});
