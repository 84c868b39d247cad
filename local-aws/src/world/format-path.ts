/** Renders a zod-style issue path as the JSON path a person would type: `roles[1].trustPolicy.Statement[0].Effect`. */
export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else {
      const name = String(part);
      out += /^[A-Za-z_$][\w$]*$/.test(name) ? `${out ? "." : ""}${name}` : `[${JSON.stringify(name)}]`;
    }
  }
  return out || "(root)";
}
