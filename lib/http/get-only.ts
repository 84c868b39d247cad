import "server-only";
import { AppError } from "../errors/app-error";
import { errorResponse } from "./respond";

/**
 * The HEAD handler of a download route. Next answers HEAD by running GET and dropping the body, and a GET of
 * content reserves, counts and audits a download; exporting this makes HEAD a 405 that never reaches that path.
 */
export function getOnly(): Response {
  const response = errorResponse(new AppError("method_not_allowed", "HEAD on a download route"));
  response.headers.set("Allow", "GET");
  return response;
}
