import { initial } from "./0001-initial";
import { linksAndMfa } from "./0002-links-and-mfa";
import { audit } from "./0003-audit";
import { ciphertextDigest } from "./0004-ciphertext-digest";
import { uploadParts } from "./0005-upload-parts";
import { oneAccessDecision } from "./0006-one-access-decision";

/** Applied in order, each once; never edit one that has shipped, add the next. */
export const MIGRATIONS: ReadonlyArray<{ id: string; sql: string }> = [
  { id: "0001-initial", sql: initial },
  { id: "0002-links-and-mfa", sql: linksAndMfa },
  { id: "0003-audit", sql: audit },
  { id: "0004-ciphertext-digest", sql: ciphertextDigest },
  { id: "0005-upload-parts", sql: uploadParts },
  { id: "0006-one-access-decision", sql: oneAccessDecision },
];
