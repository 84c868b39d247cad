import type { DownloadAllowance } from "@/lib/exchanges";
import { formatBytes } from "@/components/format";
import { StepUpForm } from "@/components/step-up-form";
import { verifyMfaAction } from "../_actions/verify-mfa";

/**
 * What the exchange page and the link page offer for a file's content, rendered from the one download decision
 * (`downloadAllowance`): the pages never re-derive who may download.
 */
export function DownloadOffer(props: {
  allowance: DownloadAllowance;
  href: string;
  fileName: string | null;
  size: number;
  senderName: string;
  downloadTestId: string;
  auditorNote: string;
}) {
  const { allowance } = props;
  switch (allowance.capability) {
    case "auditor":
      return <p data-testid="auditor-note">{props.auditorNote}</p>;
    case "used_up":
      return (
        <p data-testid="downloads-used-up">This file has been downloaded as many times as the sender allowed. Ask {props.senderName} to send it again if you still need it.</p>
      );
    case "step_up":
      return (
        <div data-testid="mfa-needed">
          <StepUpForm action={verifyMfaAction} reason="Downloading needs a recent check with your authenticator app. Enter the current code to continue." />
        </div>
      );
    case "download":
      return (
        <div className="download-row">
          <a className="button button-primary" href={props.href} download={props.fileName ?? true} data-testid={props.downloadTestId}>
            Download {formatBytes(props.size)}
          </a>
          <p className="muted small">
            The file is decrypted as it downloads, and Keybridge checks it against the SHA-256 below before the last bytes go out: a file that differs never arrives whole.
            {allowance.downloadsLeft !== null ? ` Downloads left: ${allowance.downloadsLeft} (a download counts once every byte has gone out).` : ""}
          </p>
        </div>
      );
    default:
      return <p>This file cannot be downloaded by you.</p>;
  }
}
