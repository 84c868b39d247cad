import "server-only";
import { loadConfig, type AppConfig, type OrganizationConfig } from "./load";

export type { AppConfig, OrganizationConfig } from "./load";
export { ConfigError } from "./load";

let cached: AppConfig | undefined;

export function getConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}

export function getOrganization(slug: string): OrganizationConfig | undefined {
  return getConfig().organizations.get(slug);
}
