import { formatJsonPath } from "./format-path";
import type { World } from "./schema";

export interface WorldIssue {
  path: Array<string | number>;
  message: string;
}

/** Checks that the schema cannot express: references to declared accounts and names that must be unique. */
export function checkIntegrity(world: World): WorldIssue[] {
  const issues: WorldIssue[] = [];
  const accounts = new Set<string>();
  world.accounts.forEach((account, i) => {
    if (accounts.has(account.id)) issues.push({ path: ["accounts", i, "id"], message: `account ${account.id} is declared twice` });
    accounts.add(account.id);
  });
  const inDeclaredAccount = (section: "users" | "roles" | "keys", i: number, account: string) => {
    if (!accounts.has(account)) issues.push({ path: [section, i, "account"], message: `account ${account} is not declared in accounts` });
  };
  const firstSeen = new Map<string, string>();
  const unique = (kind: string, key: string, path: Array<string | number>, label: string) => {
    const seenAt = firstSeen.get(`${kind}\0${key}`);
    if (seenAt !== undefined) issues.push({ path, message: `${label} is already used at ${seenAt}` });
    else firstSeen.set(`${kind}\0${key}`, formatJsonPath(path));
  };

  world.users.forEach((user, i) => {
    inDeclaredAccount("users", i, user.account);
    // IAM names are unique per account regardless of case.
    unique("user", `${user.account}/${user.name.toLowerCase()}`, ["users", i, "name"], `user name ${user.name} in account ${user.account}`);
    user.accessKeys.forEach((key, k) => unique("accessKey", key.accessKeyId, ["users", i, "accessKeys", k, "accessKeyId"], `access key id ${key.accessKeyId}`));
    user.mfaDevices.forEach((device, d) => {
      const path = ["users", i, "mfaDevices", d, "serialNumber"];
      unique("mfa", device.serialNumber, path, `MFA serial number ${device.serialNumber}`);
      if (!device.serialNumber.startsWith(`arn:aws:iam::${user.account}:`)) issues.push({ path, message: `an MFA device belongs to the user's account ${user.account}` });
    });
  });
  world.roles.forEach((role, i) => {
    inDeclaredAccount("roles", i, role.account);
    unique("role", `${role.account}/${role.name.toLowerCase()}`, ["roles", i, "name"], `role name ${role.name} in account ${role.account}`);
  });
  world.keys.forEach((key, i) => {
    inDeclaredAccount("keys", i, key.account);
    unique("key", key.id, ["keys", i, "id"], `key id ${key.id}`);
    key.aliases.forEach((alias, a) => unique("alias", `${key.account}/${alias}`, ["keys", i, "aliases", a], `alias ${alias} in account ${key.account}`));
  });
  return issues;
}
