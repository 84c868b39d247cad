export const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string);
}

/** STS timestamps: ISO 8601 in UTC without milliseconds, as AWS writes them. */
export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (value instanceof Date) return `<${name}>${isoSeconds(value)}</${name}>`;
  if (Array.isArray(value)) return `<${name}>${value.map((item) => element("member", item)).join("")}</${name}>`;
  if (typeof value === "object") return `<${name}>${Object.entries(value).map(([k, v]) => element(k, v)).join("")}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function stsSuccessXml(action: string, result: Record<string, unknown>, requestId: string): string {
  return (
    `<${action}Response xmlns="${STS_NAMESPACE}">` +
    element(`${action}Result`, result) +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function stsErrorXml(code: string, message: string, requestId: string, status: number): string {
  const type = status >= 500 ? "Receiver" : "Sender";
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}
