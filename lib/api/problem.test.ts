import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { problemResponse, toProblem } from "./problem";

describe("problem documents", () => {
  it("carries the stable code, status and field errors", () => {
    const doc = toProblem(new AppError("validation_failed", "email: bad", { fieldErrors: { email: "bad" } }), "req-1");
    expect(doc).toMatchObject({
      status: 400,
      code: "validation_failed",
      detail: "email: bad",
      requestId: "req-1",
      errors: [{ path: "email", message: "bad" }],
    });
  });

  it("hides unexpected errors behind a generic message with the request id", () => {
    const doc = toProblem(new Error("connection string postgres://user:secret@db"), "req-2");
    expect(doc.status).toBe(500);
    expect(doc.code).toBe("internal_error");
    expect(doc.detail).not.toContain("secret");
    expect(doc.detail).toContain("req-2");
  });

  it("answers application/problem+json with a bearer challenge on 401", async () => {
    const response = problemResponse(new AppError("invalid_token", "nope"), "req-3");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect((await response.json()).code).toBe("invalid_token");
  });
});
