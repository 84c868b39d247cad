import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** Names from local-aws/world.example.json that tests refer to. */
export const REGION = "eu-west-1";
export const ADMIN = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
export const APP = { accessKeyId: "AKIAKEYBRIDGEAPP0001", secretAccessKey: "keybridge/local/app/secret/not-for-production" };
export const APP_USER_ARN = "arn:aws:iam::111111111111:user/keybridge-app";
export const EXCHANGE_KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/9d3e8a51-6b7c-4f2e-a1d4-5c6b7e8f9a01";
export const ROLES = {
  acme: { arn: "arn:aws:iam::111111111111:role/keybridge-acme-uploader", externalId: "keybridge-acme-7f3c2a" },
  globex: { arn: "arn:aws:iam::222222222222:role/keybridge-globex-downloader", externalId: "keybridge-globex-41d9e6" },
  initech: { arn: "arn:aws:iam::333333333333:role/keybridge-initech", externalId: "keybridge-initech-0b85f1" },
} as const;

interface PolicyJson {
  Version?: string;
  Statement: Array<Record<string, unknown>>;
}

/** The world file's JSON, typed as far as tests edit it. */
export interface WorldJson {
  region: string;
  accounts: Array<{ id: string; alias?: string }>;
  users: Array<{
    account: string;
    name: string;
    accessKeys: Array<{ accessKeyId: string; secretAccessKey: string; status?: string }>;
    policies: Array<{ name: string; document: PolicyJson }>;
    mfaDevices?: Array<{ serialNumber: string; secret: string }>;
    tags?: Record<string, string>;
  }>;
  roles: Array<{
    account: string;
    name: string;
    trustPolicy: PolicyJson;
    policies: Array<{ name: string; document: PolicyJson }>;
    maxSessionDuration?: number;
    tags?: Record<string, string>;
  }>;
  keys: Array<Record<string, unknown>>;
}

/** A fresh copy of the demo world, for tests that add a user, a role or an MFA device to it. */
export function demoWorld(): WorldJson {
  return JSON.parse(readFileSync(resolve(__dirname, "../../world.example.json"), "utf8")) as WorldJson;
}
