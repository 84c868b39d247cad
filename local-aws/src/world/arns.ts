import type { WorldRole, WorldUser } from "./schema";

export const userArn = (user: Pick<WorldUser, "account" | "path" | "name">): string => `arn:aws:iam::${user.account}:user${user.path}${user.name}`;
export const roleArn = (role: Pick<WorldRole, "account" | "path" | "name">): string => `arn:aws:iam::${role.account}:role${role.path}${role.name}`;
export const accountRootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;
