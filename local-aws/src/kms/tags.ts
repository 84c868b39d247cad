import { AwsError, type Tags } from "../contracts";
import { optionalObjectList, validationError, type Input } from "./input";

const MAX_TAGS = 50;

function tagError(message: string): AwsError {
  return new AwsError("TagException", message);
}

/** Tags as CreateKey and TagResource take them: [{TagKey, TagValue}] (API reference, Tag and TagException). */
export function readTags(input: Input, field: string): Tags {
  const list = optionalObjectList(input, field) ?? [];
  const tags: Tags = {};
  for (const entry of list) {
    const key = entry.TagKey;
    const value = entry.TagValue;
    if (typeof key !== "string") throw validationError("TagKey", null, "Member must not be null");
    if (typeof value !== "string") throw validationError("TagValue", null, "Member must not be null");
    if (key.length < 1 || key.length > 128) throw validationError("TagKey", key, "Member must have length between 1 and 128");
    if (value.length > 256) throw validationError("TagValue", value, "Member must have length less than or equal to 256");
    if (key.toLowerCase().startsWith("aws:")) throw tagError(`Tag keys cannot start with aws: (${key})`);
    if (key in tags) throw tagError(`Duplicate tag key ${key}`);
    tags[key] = value;
  }
  return tags;
}

export function checkTagLimit(tags: Tags): void {
  if (Object.keys(tags).length > MAX_TAGS) throw new AwsError("LimitExceededException", `A KMS key can have at most ${MAX_TAGS} tags`);
}
