import { sql } from "drizzle-orm";
import { config } from "@/lib/config";
import { getDb, getDbKind } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return Response.json(
      { status: "ok", database: { status: "ok", kind: await getDbKind() }, version: config.version },
      { headers: { "cache-control": "no-store" } },
    );
  } catch {
    return Response.json(
      { status: "degraded", database: { status: "unavailable" }, version: config.version },
      { status: 503, headers: { "cache-control": "no-store" } },
    );
  }
}
