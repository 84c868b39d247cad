import { CopyButton } from "../copy-button";

/** Shown once, right after they are made: only their hashes are kept. */
export function RecoveryCodeList({ codes }: { codes: string[] }) {
  return (
    <div className="notice" role="status" data-testid="recovery-codes">
      <p>
        <strong>Save these recovery codes now.</strong> Each works once instead of a code from your authenticator app, for example if you lose your phone. They
        will not be shown again.
      </p>
      <ul className="stack-small">
        {codes.map((code) => (
          <li key={code}>
            <code data-testid="recovery-code">{code}</code>
          </li>
        ))}
      </ul>
      <CopyButton value={codes.join("\n")} label="Copy all codes" />
    </div>
  );
}
