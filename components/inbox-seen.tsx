"use client";

import { useEffect } from "react";

/**
 * Tells the server, once the Inbox has been shown in a browser, that its new items were seen. A side effect of
 * looking belongs in an explicit request, not in the page's GET (which prefetches and crawlers also make).
 */
export function InboxSeen({ action }: { action: (previous: unknown, formData: FormData) => Promise<unknown> }) {
  useEffect(() => {
    // The badge is a convenience: if this fails, the next visit tries again.
    action(null, new FormData()).catch(() => undefined);
  }, [action]);
  return null;
}
