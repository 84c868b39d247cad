import type { MasterKey } from "../state/master-key";
import { newSecretAccessKey, newTemporaryAccessKeyId } from "./ids";
import { sealSession, type Session } from "./session-token";

export interface IssuedCredentials {
  session: Session;
  /** The STS `Credentials` structure. */
  credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: Date };
}

export function issueSession(masterKey: MasterKey, fields: Omit<Session, "v" | "accessKeyId" | "secretAccessKey">): IssuedCredentials {
  const session: Session = { v: 1, accessKeyId: newTemporaryAccessKeyId(), secretAccessKey: newSecretAccessKey(), ...fields };
  return {
    session,
    credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: sealSession(masterKey, session),
      Expiration: new Date(session.expiresAt),
    },
  };
}
