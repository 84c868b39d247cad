import "server-only";

export { currentActor, requireActor } from "./current-actor";
export { authOptions } from "./next-auth-options";
export { freshMfaAt, auditActorOf, auditClientOf, type Actor, type OrgRole } from "./actor";
export { hashPassword } from "./password";
export { newTotpSecret, totpUri } from "./totp";
export { sealSecret } from "./secret-box";
export { verifyMfa, VerifyMfaSchema, type VerifyMfaOutcome } from "./verify-mfa";
export { startTotpEnrolment, confirmTotpEnrolment, regenerateRecoveryCodes, ConfirmTotpSchema } from "./totp-enrolment";
export { securityStatus, type SecurityStatus } from "./security-status";
export { ReauthenticateSchema, type ReauthenticateInput } from "./reauthenticate";
export { listOrgPeople, unlockAccount, UnlockAccountSchema, type OrgPerson } from "./org-people";
