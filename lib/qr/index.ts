import "server-only";
import QRCode from "qrcode";

/** An SVG QR code as a data: URL, rendered on the server (the CSP allows data: images; no client library ships). */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}
