import { MasterKey } from "../../src/state/master-key";
import { sealSession, type Session } from "../../src/sts/session-token";

/**
 * Seals a session with a running local-aws's master key (read from its state directory), e.g. one that expired an hour
 * ago: STS never issues sessions shorter than 15 minutes, and tests should not wait that long.
 */
export function forgeSessionToken(stateDir: string, session: Omit<Session, "v">): string {
  return sealSession(MasterKey.loadOrCreate(stateDir), { v: 1, ...session });
}
