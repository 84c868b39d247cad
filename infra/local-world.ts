// The local-aws world for development, demo and tests: the same documents as the deployment, with the demo
// accounts' concrete ARNs in place of the templates' parameters.
import { appServicePolicies, downloaderPermissionPolicy, exchangeKeyPolicy, organizationRoleTrustPolicy, uploaderPermissionPolicy } from "./policies/documents";

export const LOCAL_REGION = "eu-west-1";
const OPERATORS = "000000000000";
const ACME = "111111111111";
const GLOBEX = "222222222222";
const INITECH = "333333333333";

export const LOCAL_EXCHANGE_KEY_ID = "9d3e8a51-6b7c-4f2e-a1d4-5c6b7e8f9a01";
export const LOCAL_EXCHANGE_KEY_ARN = `arn:aws:kms:${LOCAL_REGION}:${ACME}:key/${LOCAL_EXCHANGE_KEY_ID}`;
export const LOCAL_APP_PRINCIPAL_ARN = `arn:aws:iam::${ACME}:user/keybridge-app`;
/** The app runs on the same machine as local-aws in development. */
export const LOCAL_APP_SERVER_CIDRS = ["127.0.0.0/8", "::1/128"];

const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

export const LOCAL_ORGANIZATIONS = {
  acme: { account: ACME, roleName: "keybridge-acme-uploader", externalId: "keybridge-acme-7f3c2a" },
  globex: { account: GLOBEX, roleName: "keybridge-globex-downloader", externalId: "keybridge-globex-41d9e6" },
  initech: { account: INITECH, roleName: "keybridge-initech", externalId: "keybridge-initech-0b85f1" },
} as const;

const roleArnOf = (org: keyof typeof LOCAL_ORGANIZATIONS) => roleArn(LOCAL_ORGANIZATIONS[org].account, LOCAL_ORGANIZATIONS[org].roleName);

function organizationRole(org: keyof typeof LOCAL_ORGANIZATIONS, policies: Array<{ name: string; document: unknown }>) {
  const { account, roleName, externalId } = LOCAL_ORGANIZATIONS[org];
  return { account, name: roleName, trustPolicy: organizationRoleTrustPolicy(LOCAL_APP_PRINCIPAL_ARN, externalId), policies };
}

export function localWorld() {
  return {
    region: LOCAL_REGION,
    accounts: [
      { id: OPERATORS, alias: "operators" },
      { id: ACME, alias: "acme" },
      { id: GLOBEX, alias: "globex" },
      { id: INITECH, alias: "initech" },
    ],
    users: [
      {
        account: OPERATORS,
        name: "admin",
        // The key pair from AWS's own documentation, so the aws CLI works against local-aws out of the box.
        accessKeys: [{ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }],
        policies: [
          {
            name: "operator-full-access",
            document: { Version: "2012-10-17", Statement: [{ Sid: "OperatorsMayDoAnythingInTheirOwnAccount", Effect: "Allow", Action: "*", Resource: "*" }] },
          },
        ],
      },
      {
        account: ACME,
        name: "keybridge-app",
        accessKeys: [{ accessKeyId: "AKIAKEYBRIDGEAPP0001", secretAccessKey: "keybridge/local/app/secret/not-for-production" }],
        policies: appServicePolicies([roleArnOf("acme"), roleArnOf("globex"), roleArnOf("initech")]),
      },
    ],
    roles: [
      organizationRole("acme", [{ name: "use-exchange-key-from-app-server", document: uploaderPermissionPolicy(LOCAL_EXCHANGE_KEY_ARN, LOCAL_APP_SERVER_CIDRS) }]),
      organizationRole("globex", [{ name: "decrypt-with-acme-exchange-key", document: downloaderPermissionPolicy(LOCAL_EXCHANGE_KEY_ARN) }]),
      // A third organization with no partnership: its role exists so that tests can show the key policy refuses it.
      organizationRole("initech", []),
    ],
    keys: [
      {
        account: ACME,
        id: LOCAL_EXCHANGE_KEY_ID,
        description: "Keybridge exchange key: Acme sends to Globex",
        aliases: ["alias/keybridge-exchange"],
        tags: { app: "keybridge" },
        policy: exchangeKeyPolicy({
          senderAccountRootArn: `arn:aws:iam::${ACME}:root`,
          senderOrg: "acme",
          uploaderRoleArn: roleArnOf("acme"),
          recipientOrg: "globex",
          downloaderRoleArn: roleArnOf("globex"),
        }),
      },
    ],
  };
}
