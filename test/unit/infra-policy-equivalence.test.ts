// What is tested locally is what gets deployed: the CloudFormation templates, with their parameters set to the
// demo accounts' values, hold exactly the policies of local-aws/world.example.json and config/keybridge.demo.json.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { generatedFiles } from "../../infra/generate";

const ROOT = resolve(__dirname, "../..");
const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8"));
const world = read("local-aws/world.example.json");
const config = read("config/keybridge.demo.json");
const companyA = read("infra/cloudformation/company-a.json");
const companyB = read("infra/cloudformation/company-b.json");

type Values = Record<string, string | string[]>;

/** Evaluates the intrinsic functions the templates use in policy documents. */
function resolveIntrinsics(value: unknown, values: Values): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, values));
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value);
  const [name, argument] = entries[0] ?? [];
  if (entries.length === 1 && name === "Ref") return lookUp(argument as string, values);
  if (entries.length === 1 && name === "Fn::Sub")
    return (argument as string).replace(/\$\{([\w:.]+)\}/g, (_, variable: string) => {
      const resolved = lookUp(variable, values);
      if (typeof resolved !== "string") throw new Error(`Fn::Sub of the list ${variable}`);
      return resolved;
    });
  if (entries.length === 1 && name?.startsWith("Fn::")) throw new Error(`unexpected ${name} in a policy document`);
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, values)]));
}

function lookUp(name: string, values: Values) {
  const resolved = values[name];
  if (resolved === undefined) throw new Error(`no value for ${name}`);
  return resolved;
}

/** Statement order and single-versus-list values carry no meaning in IAM. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalise);
    return items.every((item) => typeof item === "string") ? [...(items)].sort() : items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalise(typeof item === "string" && key !== "Effect" && key !== "Version" && key !== "Sid" && key !== "Id" ? [item] : item)]));
  return value;
}

const org = (slug: string) => config.organizations.find((candidate: { slug: string }) => candidate.slug === slug);
const worldRole = (name: string) => world.roles.find((role: { name: string }) => role.name === name);
const roleName = (arn: string) => arn.split("/").pop() as string;
const appUser = world.users.find((user: { name: string }) => user.name === "keybridge-app");
const appPrincipalArn = `arn:aws:iam::${appUser.account}:user/${appUser.name}`;
const senderAccount = config.aws.exchangeKeyArn.split(":")[4];

const companyAValues: Values = {
  "AWS::Partition": "aws",
  "AWS::AccountId": senderAccount,
  SenderOrg: "acme",
  RecipientOrg: "globex",
  RecipientAccountId: org("globex").roleArn.split(":")[4],
  UploaderRoleName: roleName(org("acme").roleArn),
  UploaderExternalId: org("acme").externalId,
  DownloaderRoleName: roleName(org("globex").roleArn),
  AppPrincipalArn: appPrincipalArn,
  AppServerCidrs: org("acme").uploadNetworks,
  "ExchangeKey.Arn": config.aws.exchangeKeyArn,
};
const companyBValues: Values = {
  "AWS::Partition": "aws",
  DownloaderRoleName: roleName(org("globex").roleArn),
  DownloaderExternalId: org("globex").externalId,
  AppPrincipalArn: appPrincipalArn,
  ExchangeKeyArn: config.aws.exchangeKeyArn,
};

const namedPolicy = (owner: { policies: Array<{ name: string; document: unknown }> }, name: string) => owner.policies.find((policy) => policy.name === name)?.document;
/** Initech exists only locally, as the organization without a partnership that tests show being refused. */
const withoutInitech = (document: any) => ({
  ...document,
  Statement: document.Statement.map((statement: any) => ({ ...statement, Resource: statement.Resource.filter((arn: string) => arn !== org("initech").roleArn) })),
});

/** Each pair: a document in a template, and the world's document it must equal. */
function pairs(templateA: any, templateB: any) {
  const resourceA = (id: string) => templateA.Resources[id].Properties;
  const resourceB = (id: string) => templateB.Resources[id].Properties;
  const acme = worldRole(roleName(org("acme").roleArn));
  const globex = worldRole(roleName(org("globex").roleArn));
  return [
    ["company A: uploader role trust", resolveIntrinsics(resourceA("UploaderRole").AssumeRolePolicyDocument, companyAValues), acme.trustPolicy],
    ["company A: uploader key use", resolveIntrinsics(resourceA("UploaderKeyUsePolicy").PolicyDocument, companyAValues), namedPolicy(acme, resourceA("UploaderKeyUsePolicy").PolicyName)],
    ["company A: exchange key policy", resolveIntrinsics(resourceA("ExchangeKey").KeyPolicy, companyAValues), world.keys[0].policy],
    ["company A: app assumes roles", resolveIntrinsics(resourceA("AppAssumeOrganizationRolesPolicy").PolicyDocument, companyAValues), withoutInitech(namedPolicy(appUser, "assume-organization-roles"))],
    ["company A: app reads CloudTrail", resolveIntrinsics(resourceA("AppReadCloudTrailPolicy").PolicyDocument, companyAValues), namedPolicy(appUser, "read-cloudtrail-event-history")],
    ["company B: downloader role trust", resolveIntrinsics(resourceB("DownloaderRole").AssumeRolePolicyDocument, companyBValues), globex.trustPolicy],
    ["company B: downloader key use", resolveIntrinsics(resourceB("DownloaderKeyUsePolicy").PolicyDocument, companyBValues), namedPolicy(globex, resourceB("DownloaderKeyUsePolicy").PolicyName)],
  ] as const;
}

test("the committed world file and templates are exactly what infra/generate.ts writes", () => {
  for (const [path, content] of Object.entries(generatedFiles())) assert.equal(readFileSync(join(ROOT, path), "utf8"), content, `${path} was edited by hand: run npm run infra:generate`);
});

for (const [name, deployed, local] of pairs(companyA, companyB)) {
  test(`${name}: the template's policy equals local-aws's`, () => {
    assert.ok(local, `${name}: no such document in world.example.json`);
    assert.deepEqual(normalise(deployed), normalise(local));
  });
}

test("the key ARN, role ARNs and ExternalIds of the app's configuration are the world's", () => {
  assert.equal(`arn:aws:kms:${world.region}:${world.keys[0].account}:key/${world.keys[0].id}`, config.aws.exchangeKeyArn);
  for (const organization of config.organizations) {
    const role = worldRole(roleName(organization.roleArn));
    assert.equal(`arn:aws:iam::${role.account}:role/${role.name}`, organization.roleArn);
    assert.equal(role.trustPolicy.Statement[0].Condition.StringEquals["sts:ExternalId"], organization.externalId);
  }
});

const mutations: Array<[string, (a: any, b: any) => void]> = [
  ["the MFA condition weakened", (a) => (a.Resources.ExchangeKey.Properties.KeyPolicy.Statement[5].Condition.StringEquals["aws:PrincipalTag/kb-mfa"] = "false")],
  ["the uploader's deny dropped", (a) => a.Resources.ExchangeKey.Properties.KeyPolicy.Statement.splice(3, 1)],
  ["the ExternalId condition dropped", (_a, b) => delete b.Resources.DownloaderRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition],
  ["an extra action granted", (_a, b) => b.Resources.DownloaderKeyUsePolicy.Properties.PolicyDocument.Statement[0].Action.push("kms:Encrypt")],
];

for (const [name, mutate] of mutations) {
  test(`the comparison notices a template with ${name}`, () => {
    const [a, b] = [structuredClone(companyA), structuredClone(companyB)];
    mutate(a, b);
    const differing = pairs(a, b).filter(([, deployed, local]) => JSON.stringify(normalise(deployed)) !== JSON.stringify(normalise(local)));
    assert.equal(differing.length, 1);
  });
}

/** Every Ref, Fn::Sub variable, DependsOn and Condition names something the template defines. */
function unresolvedNames(template: any): string[] {
  const known = new Set<string>([...Object.keys(template.Parameters), ...Object.keys(template.Resources), "AWS::Partition", "AWS::AccountId", "AWS::Region", "AWS::NoValue"]);
  const missing: string[] = [];
  const check = (name: string) => {
    if (!known.has(name.split(".")[0] as string)) missing.push(name);
  };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== "object") return;
    for (const [key, item] of Object.entries(value)) {
      if (key === "Ref") check(item as string);
      else if (key === "Fn::Sub") for (const match of (item as string).matchAll(/\$\{([\w:.]+)\}/g)) check(match[1] as string);
      else if (key === "DependsOn") check(item as string);
      else if (key === "Condition" && typeof item === "string" && !(item in template.Conditions)) missing.push(item);
      walk(item);
    }
  };
  walk(template.Resources);
  walk(template.Outputs);
  walk(template.Conditions);
  return missing;
}

for (const [name, template] of [["company-a.json", companyA], ["company-b.json", companyB]] as const) {
  test(`${name} references only what it defines, and only AWS resource types`, () => {
    assert.deepEqual(unresolvedNames(template), []);
    for (const resource of Object.values<any>(template.Resources)) assert.match(resource.Type, /^AWS::(IAM|KMS)::\w+$/);
    for (const parameter of Object.values<any>(template.Parameters)) assert.ok(parameter.Description, "every parameter says what it is for");
  });
}
