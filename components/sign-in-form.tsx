"use client";

import { signIn } from "next-auth/react";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { CodeField } from "./code-field";
import { PasswordField } from "./password-field";
import { TextField } from "./text-field";

type Step = "password" | "code";

const MESSAGES: Record<string, string> = {
  invalid_credentials: "The email address or password is not right. Check them and try again.",
  mfa_invalid: "That code is not right, or it was already used. Wait for the next code in your authenticator app and enter it, or use one of your recovery codes.",
  mfa_required: "Enter the 6-digit code from your authenticator app to finish signing in.",
  rate_limited: "Too many failed attempts. Wait a few minutes, then try again; if you use a code, take a new one from your authenticator app.",
  account_locked:
    "This account is locked after too many failed sign-ins. If you have an authenticator app, enter your password and a code from it (or a recovery code) to sign in anyway. Otherwise wait 30 minutes, or ask an administrator of your organization to unlock it.",
  SessionRequired: "Please sign in to continue.",
  network: "Keybridge could not be reached. Check your connection and try again.",
};

const GENERIC = "Signing in did not work. Try again; if it keeps happening, contact your administrator.";

export function SignInForm({ callbackPath, initialError }: { callbackPath: string; initialError: string | null }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [step, setStep] = useState<Step>("password");
  const [error, setError] = useState<string | null>(initialError && initialError !== "mfa_required" ? (MESSAGES[initialError] ?? GENERIC) : null);
  const [pending, setPending] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const codeHelpId = useId();

  useEffect(() => {
    if (step === "code") codeRef.current?.focus();
  }, [step]);

  function changeEmail(value: string) {
    setEmail(value);
    // A different person starts over at the password step.
    if (step === "code") {
      setStep("password");
      setCode("");
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const digits = code.replace(/\s+/g, "");
    if (step === "code" && !/^(\d{6}|[a-z\d]{5}-?[a-z\d]{5})$/i.test(digits)) {
      setError("The code is the 6 digits shown in your authenticator app, or a recovery code like abcde-fghij.");
      codeRef.current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        redirect: false,
        email: email.trim(),
        password,
        code: step === "code" ? digits : "",
        callbackUrl: callbackPath,
      });
      if (result?.ok && !result.error) {
        // A full navigation, so every server component renders with the new session.
        window.location.assign(callbackPath);
        return;
      }
      const failure = result?.error ?? "";
      if (failure === "mfa_required") {
        setStep("code");
        setError(null);
      } else if (failure === "mfa_invalid") {
        setCode("");
        setError(MESSAGES.mfa_invalid ?? GENERIC);
        codeRef.current?.focus();
      } else if (failure === "account_locked") {
        // Password and a second factor still sign in to a locked account, so the code field is offered.
        setStep("code");
        setCode("");
        setError(MESSAGES.account_locked ?? GENERIC);
      } else if (failure === "invalid_credentials" || failure === "CredentialsSignin") {
        setStep("password");
        setCode("");
        setPassword("");
        setError(MESSAGES.invalid_credentials ?? GENERIC);
        passwordRef.current?.focus();
      } else {
        setError(MESSAGES[failure] ?? GENERIC);
      }
    } catch {
      setError(MESSAGES.network ?? GENERIC);
    } finally {
      setPending(false);
    }
  }

  return (
    // method and action matter before hydration or without scripts: the browser then posts (never puts the password
    // in a URL) to next-auth, which without its CSRF token only sends it back here.
    <form className="stack" method="post" action="/api/auth/callback/credentials" onSubmit={submit} noValidate aria-describedby={error ? errorId : undefined}>
      <noscript>
        <p className="notice notice-error" data-testid="signin-noscript">
          Signing in to Keybridge needs JavaScript. Turn it on in your browser, then reload this page.
        </p>
      </noscript>
      <div aria-live="assertive" aria-atomic="true">
        {error ? (
          <p className="notice notice-error" id={errorId} data-testid="signin-error">
            {error}
          </p>
        ) : null}
      </div>

      <TextField
        id="signin-email"
        label="Email address"
        name="email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(event) => changeEmail(event.target.value)}
        readOnly={pending}
      />
      <PasswordField
        id="signin-password"
        label="Password"
        ref={passwordRef}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        readOnly={pending}
      />
      {step === "code" ? (
        <CodeField
          id="signin-code"
          label="Authenticator code"
          hint={{
            id: codeHelpId,
            text: "Open your authenticator app and enter the 6-digit code shown for Keybridge. Without your phone, enter one of your recovery codes.",
            testId: "signin-code-help",
          }}
          acceptsRecoveryCode
          ref={codeRef}
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/[^\da-zA-Z -]/g, ""))}
          readOnly={pending}
        />
      ) : null}

      <button type="submit" className="button button-primary button-wide" disabled={pending} aria-busy={pending}>
        {pending ? "Signing in…" : step === "code" ? "Verify and sign in" : "Sign in"}
      </button>
    </form>
  );
}
