// Runs once when the Next server starts: background upkeep that every instance does for itself.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startUploadMaintenance } = await import("./lib/exchanges/maintenance");
  startUploadMaintenance();
}
