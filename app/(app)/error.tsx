"use client";

import { useEffect } from "react";

export default function SignedInError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    // In the browser: the console is where a client error boundary reports, for whoever opens the developer tools.
    // eslint-disable-next-line no-console
    console.error(error);
  }, [error]);
  return (
    <div className="card" data-testid="page-error">
      <h1>This page could not be loaded</h1>
      <p>Something went wrong on our side. Try again; if it keeps happening, contact your administrator{error.digest ? " and mention the reference below" : ""}.</p>
      {error.digest ? (
        <p className="muted">
          Reference: <code>{error.digest}</code>
        </p>
      ) : null}
      <button type="button" className="button button-primary" onClick={() => reset()}>
        Try again
      </button>
    </div>
  );
}
