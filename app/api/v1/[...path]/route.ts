import { problemResponse } from "@/lib/api/problem";
import { AppError } from "@/lib/errors";

function notFound(req: Request): Response {
  return problemResponse(
    new AppError("not_found", `No such endpoint: ${req.method} ${new URL(req.url).pathname}. See /api/v1/openapi.json.`),
  );
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
