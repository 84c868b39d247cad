// The one source of Keybridge's IAM and key policies. Both local-aws/world.example.json (what the tests run against)
// and infra/cloudformation/*.json (what gets deployed) are generated from these functions, so the two cannot drift.
// Every argument is a plain string: the world passes concrete ARNs, the templates pass `${Placeholder}` strings
// that become Fn::Sub expressions.

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: { AWS: string | string[] };
  Action: string | string[];
  /** Absent in trust policies, whose resource is the role itself. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Id?: string;
  Statement: PolicyStatement[];
}

/** Session tags the app sets on every role session: who acts, for which organization, and whether MFA was verified. */
export const SESSION_TAG_KEYS = ["kb-user", "kb-org", "kb-mfa", "kb-mfa-at"];

const document = (Statement: PolicyStatement[], Id?: string): PolicyDocument => ({ Version: "2012-10-17", ...(Id ? { Id } : {}), Statement });

/**
 * Trust policy of an organization's role: only the app service may assume it, only with the organization's
 * ExternalId, and it may only tag sessions with Keybridge's keys and name the acting person as source identity.
 */
export function organizationRoleTrustPolicy(appPrincipalArn: string, externalId: string): PolicyDocument {
  const principal = { AWS: appPrincipalArn };
  return document([
    {
      Sid: "AppServiceAssumesWithItsExternalId",
      Effect: "Allow",
      Principal: principal,
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": externalId } },
    },
    {
      Sid: "AppServiceTagsSessionsWithKeybridgeKeysOnly",
      Effect: "Allow",
      Principal: principal,
      Action: "sts:TagSession",
      Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": SESSION_TAG_KEYS } },
    },
    { Sid: "AppServiceNamesThePersonAsSourceIdentity", Effect: "Allow", Principal: principal, Action: "sts:SetSourceIdentity" },
  ]);
}

/** The sender's role may use the key only from the app servers' addresses; the key policy narrows what for. */
export function uploaderPermissionPolicy(exchangeKeyArn: string, appServerCidrs: string[]): PolicyDocument {
  return document([
    {
      Sid: "UseExchangeKeyOnlyFromTheAppServerAddress",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
      Resource: exchangeKeyArn,
      Condition: { IpAddress: { "aws:SourceIp": appServerCidrs } },
    },
  ]);
}

/** Cross-account use needs the recipient's own account to allow it too. */
export function downloaderPermissionPolicy(exchangeKeyArn: string): PolicyDocument {
  return document([{ Sid: "GlobexSideOfCrossAccountKeyUse", Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: exchangeKeyArn }]);
}

/** What the app service principal itself may do: assume the organizations' roles, and read key use for the audit. */
export function appServicePolicies(organizationRoleArns: string[]): Array<{ name: string; document: PolicyDocument }> {
  return [
    {
      name: "assume-organization-roles",
      document: document([
        {
          Sid: "AppAssumesOrganizationRolesWithTagsAndSourceIdentityOnly",
          Effect: "Allow",
          Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
          Resource: organizationRoleArns,
        },
      ]),
    },
    {
      name: "read-cloudtrail-event-history",
      document: document([{ Sid: "AuditDashboardReadsKeyUseFromEventHistoryOnly", Effect: "Allow", Action: "cloudtrail:LookupEvents", Resource: "*" }]),
    },
  ];
}

export interface ExchangeKeyParties {
  senderAccountRootArn: string;
  senderOrg: string;
  uploaderRoleArn: string;
  recipientOrg: string;
  downloaderRoleArn: string;
}

/**
 * The exchange key's policy, which really decides who may do what: the sender's account administers the key but
 * cannot use it; the uploader encrypts only as sender of a named exchange and never decrypts file data keys; the
 * recipient decrypts file data keys only with a verified second factor (the kb-mfa session tag).
 */
export function exchangeKeyPolicy(parties: ExchangeKeyParties): PolicyDocument {
  const { senderAccountRootArn, senderOrg, uploaderRoleArn, recipientOrg, downloaderRoleArn } = parties;
  const context = (key: string) => `kms:EncryptionContext:${key}`;
  return document(
    [
      {
        Sid: "AcmeAccountAdministersTheKeyButCannotUseIt",
        Effect: "Allow",
        Principal: { AWS: senderAccountRootArn },
        Action: [
          "kms:Describe*",
          "kms:Get*",
          "kms:List*",
          "kms:Put*",
          "kms:Enable*",
          "kms:Disable*",
          "kms:CreateAlias",
          "kms:UpdateAlias",
          "kms:DeleteAlias",
          "kms:UpdateKeyDescription",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:ScheduleKeyDeletion",
          "kms:CancelKeyDeletion",
          "kms:RotateKeyOnDemand",
          "kms:RevokeGrant",
        ],
        Resource: "*",
      },
      {
        Sid: "AcmeUploaderEncryptsOnlyAsSenderOfANamedExchange",
        Effect: "Allow",
        Principal: { AWS: uploaderRoleArn },
        Action: ["kms:GenerateDataKey", "kms:Encrypt"],
        Resource: "*",
        Condition: {
          StringEquals: { [context("sender-org")]: senderOrg },
          Null: { [context("exchange-id")]: "false", [context("recipient-org")]: "false", [context("purpose")]: "false" },
        },
      },
      {
        Sid: "AcmeUploaderDecryptsMetadataOfItsOwnExchanges",
        Effect: "Allow",
        Principal: { AWS: uploaderRoleArn },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { [context("sender-org")]: senderOrg, [context("purpose")]: "metadata" } },
      },
      {
        Sid: "AcmeUploaderNeverDecryptsFileDataKeys",
        Effect: "Deny",
        Principal: { AWS: uploaderRoleArn },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringNotEquals: { [context("purpose")]: "metadata" } },
      },
      {
        Sid: "GlobexDownloaderDecryptsMetadataAddressedToGlobex",
        Effect: "Allow",
        Principal: { AWS: downloaderRoleArn },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { [context("recipient-org")]: recipientOrg, [context("purpose")]: "metadata" } },
      },
      {
        Sid: "GlobexDownloaderDecryptsFilesAddressedToGlobexOnlyWithMfa",
        Effect: "Allow",
        Principal: { AWS: downloaderRoleArn },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { [context("recipient-org")]: recipientOrg, [context("purpose")]: "file-content", "aws:PrincipalTag/kb-mfa": "true" } },
      },
      {
        Sid: "BothExchangeRolesDescribeTheKey",
        Effect: "Allow",
        Principal: { AWS: [uploaderRoleArn, downloaderRoleArn] },
        Action: "kms:DescribeKey",
        Resource: "*",
      },
    ],
    "keybridge-exchange-key-policy",
  );
}
