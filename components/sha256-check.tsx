import { CopyButton } from "./copy-button";

/** Shell-quoted for the command lines below: a file name is the sender's text and may hold anything. */
function posixQuoted(name: string): string {
  return `'${name.replace(/'/g, `'\\''`)}'`;
}
function powershellQuoted(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/**
 * The file's SHA-256 as the sender sealed it, and one line per platform that a recipient can run on the downloaded
 * file to see the same digest, so the check does not depend on trusting Keybridge's page either.
 */
export function Sha256Check({ sha256, fileName, testId }: { sha256: string; fileName: string | null; testId: string }) {
  const file = fileName ?? "downloaded-file";
  const commands = [
    { platform: "Linux", line: `sha256sum ${posixQuoted(file)}` },
    { platform: "macOS", line: `shasum -a 256 ${posixQuoted(file)}` },
    { platform: "Windows (PowerShell)", line: `(Get-FileHash -Algorithm SHA256 ${powershellQuoted(file)}).Hash.ToLower()` },
  ];
  return (
    <div className="sha256-check">
      <span className="hash-full">
        <code data-testid={testId}>{sha256}</code>
        <CopyButton value={sha256} label="Copy SHA-256" />
      </span>
      <details className="small">
        <summary>Check the downloaded file yourself</summary>
        <p className="muted">Run one of these where the file was saved; it prints the same 64 characters if the file is exactly what was sent.</p>
        <dl className="details">
          {commands.map((command) => (
            <div key={command.platform}>
              <dt>{command.platform}</dt>
              <dd>
                <code>{command.line}</code>
              </dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
