import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

// Every page renders per request: the proxy's CSP nonce must reach the scripts Next emits.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Keybridge", template: "%s · Keybridge" },
  description: "Secure file exchange between organizations",
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#1d4f91" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
