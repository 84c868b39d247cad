import type { Caller } from "../contracts";
import { AuthFailure, EXPIRED_TOKEN_MESSAGE, INVALID_TOKEN_MESSAGE } from "../sigv4/errors";
import type { MasterKey } from "../state/master-key";
import { roleArn, userArn } from "../world/arns";
import type { World, WorldRole, WorldUser } from "../world/schema";
import { uniqueId } from "./ids";
import { openSession, type Session } from "./session-token";

export interface ResolvedCredentials {
  caller: Caller;
  secretAccessKey: string;
}

const MAX_CACHED_SESSIONS = 10_000;

export function userCaller(user: WorldUser, accessKeyId: string): Caller {
  const arn = userArn(user);
  return {
    type: "IAMUser",
    accountId: user.account,
    arn,
    principalArn: arn,
    userId: uniqueId("AIDA", arn),
    accessKeyId,
    userName: user.name,
    identityPolicies: user.policies.map((policy) => policy.document),
    principalTags: { ...user.tags },
    sessionTags: {},
    transitiveTagKeys: [],
    mfaAuthenticated: false,
  };
}

function sessionFields(session: Session): Pick<Caller, "sessionPolicy" | "sessionTags" | "transitiveTagKeys" | "sourceIdentity" | "mfaAuthenticated" | "mfaAuthenticatedAt" | "sessionIssuedAt" | "sessionExpiresAt"> {
  return {
    sessionPolicy: session.policy,
    sessionTags: { ...session.tags },
    transitiveTagKeys: [...session.transitiveTagKeys],
    sourceIdentity: session.sourceIdentity,
    mfaAuthenticated: session.mfaAt !== undefined,
    mfaAuthenticatedAt: session.mfaAt === undefined ? undefined : new Date(session.mfaAt),
    sessionIssuedAt: new Date(session.issuedAt),
    sessionExpiresAt: new Date(session.expiresAt),
  };
}

export function roleSessionCaller(role: WorldRole, session: Session): Caller {
  const principalArn = roleArn(role);
  const sessionName = session.roleSessionName ?? "";
  return {
    type: "AssumedRole",
    accountId: role.account,
    arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
    principalArn,
    userId: `${uniqueId("AROA", principalArn)}:${sessionName}`,
    accessKeyId: session.accessKeyId,
    roleName: role.name,
    roleSessionName: sessionName,
    identityPolicies: role.policies.map((policy) => policy.document),
    // Session tags override the role's own tags of the same key (case-insensitively, as IAM tag keys are).
    principalTags: {
      ...Object.fromEntries(Object.entries(role.tags).filter(([key]) => !Object.keys(session.tags).some((k) => k.toLowerCase() === key.toLowerCase()))),
      ...session.tags,
    },
    ...sessionFields(session),
    roleChained: session.chained,
  };
}

/** Resolves SigV4 access key ids to callers: world users' long-term keys, and temporary keys from sealed session tokens. */
export class CallerDirectory {
  private readonly longTerm = new Map<string, { caller: Caller; secret: string; active: boolean }>();
  private readonly usersByArn = new Map<string, WorldUser>();
  private readonly roles = new Map<string, WorldRole>();
  private readonly sessions = new Map<string, { session: Session; caller: Caller }>();
  /** Sessions issued at or before this instant (epoch ms) count as expired; held in memory only, never in --state. */
  private expiredThrough = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly world: World,
    private readonly masterKey: MasterKey,
  ) {
    for (const user of world.users) {
      this.usersByArn.set(userArn(user), user);
      for (const key of user.accessKeys) {
        this.longTerm.set(key.accessKeyId, { caller: userCaller(user, key.accessKeyId), secret: key.secretAccessKey, active: key.status === "Active" });
      }
    }
    for (const role of world.roles) this.roles.set(`${role.account}/${role.name.toLowerCase()}`, role);
  }

  findRole(account: string, name: string): WorldRole | undefined {
    return this.roles.get(`${account}/${name.toLowerCase()}`);
  }

  findUser(arn: string): WorldUser | undefined {
    return this.usersByArn.get(arn);
  }

  resolve(accessKeyId: string, sessionToken: string | undefined, now: Date): ResolvedCredentials {
    if (accessKeyId.startsWith("AKIA")) {
      const entry = this.longTerm.get(accessKeyId);
      if (!entry || !entry.active) throw new AuthFailure("invalid-token", INVALID_TOKEN_MESSAGE, accessKeyId);
      return { caller: entry.caller, secretAccessKey: entry.secret };
    }
    if (!accessKeyId.startsWith("ASIA") || !sessionToken) throw new AuthFailure("invalid-token", INVALID_TOKEN_MESSAGE, accessKeyId);
    const opened = this.openCached(sessionToken);
    if (!opened || opened.session.accessKeyId !== accessKeyId) throw new AuthFailure("invalid-token", INVALID_TOKEN_MESSAGE, accessKeyId);
    if (opened.session.expiresAt <= now.getTime() || opened.session.issuedAt <= this.expiredThrough) throw new AuthFailure("expired-token", EXPIRED_TOKEN_MESSAGE, accessKeyId);
    return { caller: opened.caller, secretAccessKey: opened.session.secretAccessKey };
  }

  /**
   * Test-only (--test-controls): every session issued up to `instant` is refused from now on exactly as a naturally
   * expired one is, so that tests can see credentials expire without waiting the 15 minutes STS's shortest session lasts.
   */
  expireSessionsIssuedThrough(instant: number): void {
    this.expiredThrough = Math.max(this.expiredThrough, instant);
  }

  /** Opening a token costs an AES-GCM decryption and a schema parse; clients reuse a session for many calls. */
  private openCached(token: string): { session: Session; caller: Caller } | null {
    const cached = this.sessions.get(token);
    if (cached) return cached;
    const session = openSession(this.masterKey, token);
    if (!session) return null;
    const caller = this.sessionCaller(session);
    if (!caller) return null;
    if (this.sessions.size >= MAX_CACHED_SESSIONS) this.sessions.clear();
    const entry = { session, caller };
    this.sessions.set(token, entry);
    return entry;
  }

  private sessionCaller(session: Session): Caller | null {
    if (session.kind === "role") {
      const role = this.findRole(session.account, session.name);
      return role ? roleSessionCaller(role, session) : null;
    }
    const user = [...this.usersByArn.values()].find((u) => u.account === session.account && u.name === session.name);
    return user ? { ...userCaller(user, session.accessKeyId), ...sessionFields(session) } : null;
  }
}
