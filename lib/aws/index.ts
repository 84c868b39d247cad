import "server-only";

export { openKmsSession, type KmsSession, type KmsCallRecord, type KmsKeyringClient } from "./kms-session";
export { encryptSmallSecret, decryptSmallSecret, SMALL_SECRET_MAX_BYTES } from "./small-secrets";
export type { RoleSessionRequest } from "./role-sessions";
export { lookupKeyEvents, type KmsTrailEvent } from "./cloudtrail";
export { openS3Bucket, type S3Bucket } from "./s3-objects";
