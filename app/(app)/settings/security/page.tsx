import type { Metadata } from "next";
import { securityStatus } from "@/lib/auth";
import { TotpEnrolment } from "@/components/security/totp-enrolment";
import { actorOrSignIn } from "../../../_lib/page-actor";
import { confirmEnrolmentAction, regenerateRecoveryCodesAction, startEnrolmentAction } from "./security-actions";

export const metadata: Metadata = { title: "Security" };

export default async function SecuritySettingsPage() {
  const actor = await actorOrSignIn("/settings/security");
  const status = await securityStatus(actor);
  return (
    <>
      <div className="page-heading">
        <h1>Security</h1>
        <p className="muted">A second factor protects your account and is needed before Keybridge decrypts a file for you.</p>
      </div>
      <section className="card" aria-labelledby="totp-heading">
        <h2 id="totp-heading">Authenticator app</h2>
        <p data-testid="totp-status">
          {status.totpEnrolled
            ? `Turned on. ${status.recoveryCodesLeft} of 10 recovery codes left.`
            : "Not set up yet. Set it up to download files: decryption needs a recent code from your authenticator app."}
        </p>
        <TotpEnrolment
          enrolled={status.totpEnrolled}
          startAction={startEnrolmentAction}
          confirmAction={confirmEnrolmentAction}
          regenerateAction={regenerateRecoveryCodesAction}
        />
      </section>
    </>
  );
}
