// Types shared by local-aws's modules. The server resolves a Caller from SigV4 credentials,
// service handlers (kms/, sts/) build condition contexts and ask iam/ for decisions.

export type Tags = Record<string, string>;

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  NotPrincipal?: Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | number | boolean | Array<string | number | boolean>>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** The authenticated identity behind a request, resolved from its access key (and session token). */
export interface Caller {
  type: "IAMUser" | "AssumedRole";
  accountId: string;
  /** arn:aws:iam::ACCT:user/NAME or arn:aws:sts::ACCT:assumed-role/ROLE/SESSION */
  arn: string;
  /** aws:PrincipalArn: the user ARN, or for a role session the role ARN arn:aws:iam::ACCT:role/PATH/ROLE */
  principalArn: string;
  /** aws:userid: AIDA... for users, AROA...:SESSION for role sessions */
  userId: string;
  accessKeyId: string;
  userName?: string;
  roleName?: string;
  roleSessionName?: string;
  /** Identity-based permission policies attached to the user or role. */
  identityPolicies: PolicyDocument[];
  /** Inline session policy passed to AssumeRole/GetSessionToken; limits the identity policies. */
  sessionPolicy?: PolicyDocument;
  /** aws:PrincipalTag/*: the user's tags, or the role's tags overridden by session tags. */
  principalTags: Tags;
  /** Session tags only (what AssumeRole passed), and which of them are transitive. */
  sessionTags: Tags;
  transitiveTagKeys: string[];
  sourceIdentity?: string;
  mfaAuthenticated: boolean;
  /** When MFA was proven (the session's creation time when MFA was used). */
  mfaAuthenticatedAt?: Date;
  sessionIssuedAt?: Date;
  sessionExpiresAt?: Date;
  /** True when this session was created by a role session assuming a role (role chaining). */
  roleChained?: boolean;
}

/** Condition key -> values. Keys are matched case-insensitively; values are always string lists. */
export type ConditionContext = Record<string, string[]>;

export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";

/** Facts about the HTTP request that every handler needs. */
export interface CallInfo {
  caller: Caller;
  sourceIp: string;
  userAgent: string;
  secureTransport: boolean;
  requestId: string;
  now: Date;
  region: string;
}

/** An error with AWS's code, message and HTTP status; the server renders it in the service's wire format. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/** What a handler returns: the response body, and the parts of a CloudTrail record it alone knows. */
export interface HandlerResult {
  output: Record<string, unknown>;
  /** CloudTrail-shaped fields; never plaintext, data keys or key material. */
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  resources?: Array<{ ARN: string; accountId: string; type: string }>;
}

/** Thrown handler errors still need CloudTrail fields: attach them with this. */
export interface FailedCallDetails {
  requestParameters?: Record<string, unknown> | null;
  resources?: Array<{ ARN: string; accountId: string; type: string }>;
}

/** Thrown by an operation middleware: the server closes the connection without any answer, as a network failure would. */
export class DropConnection extends Error {
  constructor() {
    super("connection dropped by an injected fault");
    this.name = "DropConnection";
  }
}
